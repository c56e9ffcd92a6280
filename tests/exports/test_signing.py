"""Standard Webhooks signing: what the district's web team verifies on every push."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
import standardwebhooks

from exports.website.signing import (
    WebhookVerificationError,
    webhook_headers,
    webhook_secret_generate,
    webhook_secret_key,
    webhook_signature,
    webhook_verify,
)

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
OLD_KEY = bytes(range(100, 132))
OLD_SECRET = "whsec_" + base64.b64encode(OLD_KEY).decode()
MSG_ID = "msg_2Yk7Q0oV1sW9"
TIMESTAMP = 1_790_000_000
BODY = '{"type":"page.updated","data":{"title":"Ankommen in Köln"}}'.encode()


def independent_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The signature written out from the spec, without the module under test."""
    signed = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(headers: dict[str, str], body: bytes = BODY, **kwargs) -> None:
    kwargs.setdefault("secrets", [SECRET])
    kwargs.setdefault("now", TIMESTAMP)
    webhook_verify(headers=headers, body=body, **kwargs)


def signed_headers(secrets=(SECRET,), msg_id=MSG_ID, timestamp=TIMESTAMP, body=BODY):
    return webhook_headers(
        secrets=list(secrets), msg_id=msg_id, timestamp=timestamp, body=body
    )


def test_signature_matches_an_independent_hmac_of_id_timestamp_and_body():
    expected = independent_signature(KEY, MSG_ID, TIMESTAMP, BODY)

    got = webhook_signature(
        secret=SECRET, msg_id=MSG_ID, timestamp=TIMESTAMP, body=BODY
    )

    assert got == expected


def test_signature_matches_the_example_published_with_the_spec():
    # The worked example of the Standard Webhooks specification.
    got = webhook_signature(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )

    assert got == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_headers_carry_id_timestamp_and_one_signature_per_secret():
    headers = signed_headers(secrets=(SECRET, OLD_SECRET))

    assert headers == {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": independent_signature(KEY, MSG_ID, TIMESTAMP, BODY)
        + " "
        + independent_signature(OLD_KEY, MSG_ID, TIMESTAMP, BODY),
    }


@pytest.mark.parametrize("receiver_secret", [SECRET, OLD_SECRET])
def test_during_rotation_a_receiver_knowing_either_secret_accepts(receiver_secret):
    headers = signed_headers(secrets=(SECRET, OLD_SECRET))

    verify(headers, secrets=[receiver_secret])


def test_a_receiver_with_both_secrets_accepts_a_push_signed_with_the_old_one():
    headers = signed_headers(secrets=(OLD_SECRET,))

    verify(headers, secrets=[SECRET, OLD_SECRET])


def test_a_push_signed_with_another_secret_is_refused():
    headers = signed_headers(secrets=(OLD_SECRET,))

    with pytest.raises(WebhookVerificationError) as caught:
        verify(headers, secrets=[SECRET])

    assert caught.value.code == "bad_signature"


def test_header_names_are_matched_case_insensitively():
    headers = {name.upper(): value for name, value in signed_headers().items()}

    verify(headers)


def test_signatures_of_unknown_versions_are_skipped_not_trusted():
    good = signed_headers()
    mixed = {**good, "webhook-signature": "v1a,AAAA " + good["webhook-signature"]}
    verify(mixed)

    only_unknown = {**good, "webhook-signature": "v2," + good["webhook-signature"][3:]}
    with pytest.raises(WebhookVerificationError) as caught:
        verify(only_unknown)
    assert caught.value.code == "bad_signature"


@pytest.mark.parametrize(
    ("field", "tampered"),
    [
        ("body", BODY.replace(b"K\xc3\xb6ln", b"Bonn")),
        ("webhook-id", "msg_other"),
        ("webhook-timestamp", str(TIMESTAMP + 1)),
    ],
)
def test_a_changed_body_id_or_timestamp_breaks_the_signature(field, tampered):
    headers = signed_headers()
    body = BODY
    if field == "body":
        body = tampered
    else:
        headers[field] = tampered

    with pytest.raises(WebhookVerificationError) as caught:
        verify(headers, body=body)

    assert caught.value.code == "bad_signature"


def test_timestamps_within_the_tolerance_are_accepted():
    headers = signed_headers()

    verify(headers, now=TIMESTAMP + 300, tolerance_seconds=300)
    verify(headers, now=TIMESTAMP - 300, tolerance_seconds=300)


def test_a_stale_timestamp_is_refused_even_with_a_good_signature():
    with pytest.raises(WebhookVerificationError) as caught:
        verify(signed_headers(), now=TIMESTAMP + 301, tolerance_seconds=300)

    assert caught.value.code == "stale_timestamp"
    assert "301 s old" in str(caught.value)


def test_a_future_timestamp_is_refused_even_with_a_good_signature():
    with pytest.raises(WebhookVerificationError) as caught:
        verify(signed_headers(), now=TIMESTAMP - 3600, tolerance_seconds=300)

    assert caught.value.code == "future_timestamp"


def test_the_timestamp_is_checked_against_the_clock_by_default():
    # Signed long ago: only a real clock (not `now=`) can find it stale.
    with pytest.raises(WebhookVerificationError) as caught:
        webhook_verify(secrets=[SECRET], headers=signed_headers(), body=BODY)

    assert caught.value.code == "stale_timestamp"


def test_a_timestamp_that_is_not_a_number_is_refused():
    headers = {**signed_headers(), "webhook-timestamp": "2026-01-01T00:00:00Z"}

    with pytest.raises(WebhookVerificationError) as caught:
        verify(headers)

    assert caught.value.code == "bad_timestamp"


@pytest.mark.parametrize(
    "missing", ["webhook-id", "webhook-timestamp", "webhook-signature"]
)
def test_missing_headers_are_named(missing):
    headers = signed_headers()
    del headers[missing]

    with pytest.raises(WebhookVerificationError) as caught:
        verify(headers)

    assert caught.value.code == "missing_headers"
    assert missing in str(caught.value)


@pytest.mark.parametrize(
    ("secret", "complaint"),
    [
        (base64.b64encode(KEY).decode(), "must start with 'whsec_'"),
        ("whsec_not base64!", "not valid base64"),
        ("whsec_" + base64.b64encode(b"short").decode(), "5 bytes"),
        ("whsec_", "0 bytes"),
    ],
)
def test_a_malformed_secret_is_refused_with_what_is_wrong(secret, complaint):
    with pytest.raises(ValueError, match=complaint):
        webhook_secret_key(secret)
    with pytest.raises(ValueError, match=complaint):
        webhook_signature(secret=secret, msg_id=MSG_ID, timestamp=TIMESTAMP, body=BODY)
    with pytest.raises(WebhookVerificationError, match=complaint) as caught:
        verify(signed_headers(), secrets=[secret])
    assert caught.value.code == "bad_secret"


def test_generated_secrets_are_fresh_32_byte_keys():
    first, second = webhook_secret_generate(), webhook_secret_generate()

    assert first.startswith("whsec_")
    assert len(webhook_secret_key(first)) == 32
    assert first != second


# --- The same messages through an independent Standard Webhooks library ---------


def test_our_headers_verify_with_the_standardwebhooks_library():
    timestamp = int(datetime.now(UTC).timestamp())
    headers = signed_headers(secrets=(SECRET, OLD_SECRET), timestamp=timestamp)

    for secret in (SECRET, OLD_SECRET):
        standardwebhooks.Webhook(secret).verify(BODY, headers)

    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(SECRET).verify(BODY + b" ", headers)


def test_signatures_from_the_standardwebhooks_library_verify_with_ours():
    moment = datetime.now(UTC)
    signature = standardwebhooks.Webhook(SECRET).sign(MSG_ID, moment, BODY.decode())
    headers = {
        "Webhook-Id": MSG_ID,
        "Webhook-Timestamp": str(int(moment.timestamp())),
        "Webhook-Signature": signature,
    }

    webhook_verify(secrets=[SECRET], headers=headers, body=BODY)
