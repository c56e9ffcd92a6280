"""The receiver's HTML overview at ``GET /``: the last messages, newest first."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

# How many messages the overview lists; /received.json has all of them.
HTML_LIMIT = 50


def _page_label(message: dict[str, Any]) -> str:
    document = message["payload"].get("data", {}).get("document") or {}
    title = document.get("title") if isinstance(document, dict) else None
    parts = [str(title) if title else message["translation_key"]]
    if message["page_id"] is not None:
        parts.append(f"#{message['page_id']}")
    return " ".join(parts)


def received_page_render(messages: Sequence[dict[str, Any]]) -> str:
    """The HTML overview of ``messages``; every value is escaped."""
    rows = []
    for message in messages:
        applied = "ja" if message["applied"] else "nein (ältere Sequenz)"
        cells = [
            message["received_at"],
            message["type"],
            message["locale"],
            _page_label(message),
            str(message["sequence"]),
            applied,
        ]
        rows.append(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
        )
    table = (
        "<table><thead><tr><th>Zeit (UTC)</th><th>Typ</th><th>Sprache</th>"
        "<th>Seite</th><th>Sequenz</th><th>Übernommen</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>Noch keine Webhooks empfangen.</p>"
    )
    return (
        "<!doctype html>\n"
        '<html lang="de"><head><meta charset="utf-8">'
        # Reload every few seconds, so pushes show up while someone edits a page.
        '<meta http-equiv="refresh" content="5">'
        "<title>Empfangene Webhooks</title>"
        "<style>body{font-family:sans-serif;margin:2rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:.3rem .6rem;text-align:left}</style></head><body>"
        "<h1>Empfangene Webhooks</h1>"
        f"<p>Die letzten {HTML_LIMIT} Nachrichten, neueste zuerst. "
        '<a href="/received.json">Alle als JSON</a></p>'
        f"{table}</body></html>\n"
    )
