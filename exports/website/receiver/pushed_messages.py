"""The payload contract of a pushed message (see the package docstring).

Pure parsing, no HTTP: the request handler turns ``PushedMessageInvalid`` into a 400.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MESSAGE_TYPES = ("page.updated", "page.removed", "artifact.updated", "artifact.removed")


class PushedMessageInvalid(ValueError):
    """A body that is not a message of the contract; ``code`` names the kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PushedMessage:
    """One pushed message, checked against the payload contract."""

    type: str
    translation_key: str
    locale: str
    page_id: int | None
    sequence: int
    revision: int | None
    document: dict[str, Any] | None


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int) and not isinstance(value, bool)


def pushed_message_parse(body: bytes) -> PushedMessage:
    """The message in ``body``, or ``PushedMessageInvalid`` naming what is wrong."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PushedMessageInvalid(
            "invalid_json", f"body is not UTF-8 JSON: {exc}"
        ) from None

    def refuse(message: str) -> PushedMessageInvalid:
        return PushedMessageInvalid("invalid_payload", message)

    if not isinstance(payload, dict):
        raise refuse("body must be a JSON object")
    if payload.get("type") not in MESSAGE_TYPES:
        raise refuse(
            f"type {payload.get('type')!r} is unknown; "
            f"expected one of {', '.join(MESSAGE_TYPES)}"
        )
    timestamp = payload.get("timestamp")
    try:
        datetime.fromisoformat(str(timestamp) if timestamp is not None else "")
    except (TypeError, ValueError):
        raise refuse(f"timestamp must be ISO 8601, got {timestamp!r}") from None
    data = payload.get("data")
    if not isinstance(data, dict):
        raise refuse("data must be a JSON object")
    missing = [
        key
        for key in (
            "translation_key",
            "locale",
            "page_id",
            "sequence",
            "revision",
            "document",
        )
        if key not in data
    ]
    if missing:
        raise refuse(f"data lacks {', '.join(missing)}")
    for key in ("translation_key", "locale"):
        if not isinstance(data[key], str) or not data[key]:
            raise refuse(f"data.{key} must be a non-empty string")
    if not _is_int(data["sequence"]) or data["sequence"] < 0:
        raise refuse(f"data.sequence must be an integer ≥ 0, got {data['sequence']!r}")
    for key in ("page_id", "revision"):
        if data[key] is not None and not _is_int(data[key]):
            raise refuse(f"data.{key} must be an integer or null")
    if data["document"] is not None and not isinstance(data["document"], dict):
        raise refuse("data.document must be a JSON object or null")
    return PushedMessage(
        type=payload["type"],
        translation_key=data["translation_key"],
        locale=data["locale"],
        page_id=data["page_id"],
        sequence=data["sequence"],
        revision=data["revision"],
        document=data["document"],
    )
