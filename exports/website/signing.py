"""Standard Webhooks signatures for the website channel.

Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md

Every push carries three headers:

- ``webhook-id``: the message id, the same on every retry of one message, so the
  receiver can drop duplicates;
- ``webhook-timestamp``: Unix seconds when the attempt was signed, so a captured
  request cannot be replayed later;
- ``webhook-signature``: ``v1,<base64 HMAC-SHA256>`` over ``"{id}.{timestamp}.{body}"``,
  one per active secret, separated by spaces, so a secret can be rotated without a
  moment in which the receiver rejects every push.

Secrets are ``whsec_`` followed by the base64 of the key bytes, which any Standard
Webhooks library accepts as it is. This module is standard library only: the
reference receiver imports it in a process without Django.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import secrets as random_source
import time
from collections.abc import Mapping, Sequence

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
# The spec asks for keys of 24 to 64 bytes; shorter ones are a typo, not a secret.
SECRET_MIN_BYTES = 24
SECRET_MAX_BYTES = 64
GENERATED_SECRET_BYTES = 32
DEFAULT_TOLERANCE_SECONDS = 300

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


class WebhookVerificationError(Exception):
    """A pushed message failed verification; ``code`` says which check refused it.

    Codes: ``missing_headers``, ``bad_timestamp``, ``stale_timestamp``,
    ``future_timestamp``, ``bad_signature``, ``bad_secret``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def webhook_secret_generate() -> str:
    """A fresh secret: ``whsec_`` + base64 of 32 random bytes."""
    key = random_source.token_bytes(GENERATED_SECRET_BYTES)
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def webhook_secret_key(secret: str) -> bytes:
    """The HMAC key inside ``secret`` (``whsec_`` + base64).

    Raises ``ValueError`` naming what is wrong with a malformed secret.
    """
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError(
            f"webhook secret must start with '{SECRET_PREFIX}' followed by base64; "
            f"generate one with webhook_secret_generate()"
        )
    encoded = secret[len(SECRET_PREFIX) :]
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            f"webhook secret is not valid base64 after '{SECRET_PREFIX}' ({exc}); "
            "copy it again without spaces or line breaks"
        ) from None
    if not SECRET_MIN_BYTES <= len(key) <= SECRET_MAX_BYTES:
        raise ValueError(
            f"webhook secret decodes to {len(key)} bytes; Standard Webhooks keys "
            f"are {SECRET_MIN_BYTES} to {SECRET_MAX_BYTES} bytes"
        )
    return key


# A sender signs thousands of messages with the same one or two secrets: each is
# decoded and checked once (a malformed one raises every time, never cached).
_signing_key = functools.lru_cache(maxsize=16)(webhook_secret_key)


def webhook_signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,`` + base64 HMAC-SHA256 of ``"{msg_id}.{timestamp}." + body``."""
    signed = f"{msg_id}.{int(timestamp)}.".encode() + body
    digest = hmac.digest(_signing_key(secret), signed, "sha256")
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def webhook_headers(
    *, secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt.

    ``secrets`` holds the current secret and, during a rotation, the previous one;
    each adds one signature, so a receiver that knows either accepts the message.
    """
    if not secrets:
        raise ValueError("no webhook secret to sign with; configure at least one")
    signatures = [
        webhook_signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body)
        for s in secrets
    ]
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(int(timestamp)),
        HEADER_SIGNATURE: " ".join(signatures),
    }


def webhook_verify(
    *,
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Accept a pushed message or raise ``WebhookVerificationError``.

    Header names are matched case-insensitively. The message is accepted when its
    timestamp lies within ``tolerance_seconds`` of ``now`` and any ``v1`` signature
    in the header matches any of ``secrets``.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    missing = [
        name
        for name in (HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE)
        if not lowered.get(name)
    ]
    if missing:
        raise WebhookVerificationError(
            "missing_headers", f"missing webhook header(s): {', '.join(missing)}"
        )
    msg_id = lowered[HEADER_ID]
    try:
        timestamp = int(lowered[HEADER_TIMESTAMP])
    except ValueError:
        raise WebhookVerificationError(
            "bad_timestamp",
            f"{HEADER_TIMESTAMP} must be Unix seconds, "
            f"got {lowered[HEADER_TIMESTAMP]!r}",
        ) from None

    # The timestamp is checked before the signature is computed only because it is
    # cheaper; it is trusted only because the signature below covers it.
    current = time.time() if now is None else now
    if timestamp < current - tolerance_seconds:
        raise WebhookVerificationError(
            "stale_timestamp",
            f"{HEADER_TIMESTAMP} is {int(current - timestamp)} s old, more than the "
            f"{tolerance_seconds} s allowed; a replay or a badly set clock",
        )
    if timestamp > current + tolerance_seconds:
        raise WebhookVerificationError(
            "future_timestamp",
            f"{HEADER_TIMESTAMP} is {int(timestamp - current)} s in the future, more "
            f"than the {tolerance_seconds} s allowed; check the sender's clock",
        )

    if not secrets:
        raise WebhookVerificationError(
            "bad_secret", "no webhook secret configured to verify with"
        )
    try:
        expected = [
            webhook_signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body)
            for s in secrets
        ]
    except ValueError as exc:
        raise WebhookVerificationError("bad_secret", str(exc)) from exc

    offered = [
        candidate
        for candidate in lowered[HEADER_SIGNATURE].split(" ")
        if candidate.startswith(f"{SIGNATURE_VERSION},")
    ]
    if not offered:
        raise WebhookVerificationError(
            "bad_signature",
            f"{HEADER_SIGNATURE} holds no '{SIGNATURE_VERSION},…' signature",
        )
    # Every pair is compared, in constant time each, so the time taken does not
    # tell which secret or which position matched.
    matched = False
    for candidate in offered:
        for signature in expected:
            if hmac.compare_digest(candidate.encode(), signature.encode()):
                matched = True
    if not matched:
        raise WebhookVerificationError(
            "bad_signature",
            f"no signature in {HEADER_SIGNATURE} matches a configured secret; "
            "the body, id or timestamp was changed, or the secrets differ",
        )
