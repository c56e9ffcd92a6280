"""Which strings of the demo data a translation file must cover.

The demo translates every snippet, the handbook root and chapter 1 with its pages
into `en`, `ar` and `de-x-ls`. Slugs are derived by the loader, not translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

TRANSLATED_CHAPTERS = ("engagement",)

_BLOCK_TEXT_FIELDS = ("text", "attribution", "title", "caption")


def _paragraphs(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (p for p in value if isinstance(p, str))


def _steps(steps: list[dict[str, Any]]) -> Iterator[str]:
    for step in steps or []:
        yield step["title"]
        if step.get("text"):
            yield step["text"]


def translated_source_strings(data: dict[str, Any]) -> list[str]:
    """Every German string of ``handbook.yaml`` that the translations must cover."""
    out: list[str] = []
    for org in data.get("organisations", []):
        out += [org["name"]] + ([org["short_name"]] if org.get("short_name") else [])
    for topic in data.get("topics", []):
        out += [topic["name"], *_paragraphs(topic.get("description"))]
    for contact in data.get("contacts", []):
        out += [contact["name"]] + ([contact["role"]] if contact.get("role") else [])
    for term in data.get("glossary", []):
        out += [term["term"], term["explanation"]]
    for image in data.get("images", []):
        out.append(image["alt_text"])
    handbook = data.get("handbook")
    if handbook:
        out += [handbook["title"]]
        out += [handbook["subtitle"]] if handbook.get("subtitle") else []
        out += list(_paragraphs(handbook.get("intro")))
        out += list(_paragraphs(handbook.get("funding_note")))
        out += list(_paragraphs(handbook.get("imprint")))
        out += [p["role"] for p in handbook.get("partners", [])]
    for chapter in data.get("chapters", []):
        if chapter["key"] not in TRANSLATED_CHAPTERS:
            continue
        out += [chapter["title"], *_paragraphs(chapter.get("intro"))]
        for block in chapter.get("body", []):
            out += [block[f] for f in _BLOCK_TEXT_FIELDS if block.get(f)]
            out += list(_steps(block.get("items", [])))
        for rec in chapter.get("recommendations", []):
            out += [rec["title"], rec["summary"]]
            out += list(_paragraphs(rec.get("why")))
            out += list(_steps(rec.get("steps", [])))
            out += list(_paragraphs(rec.get("who_acts")))
        for practice in chapter.get("best_practices", []):
            out.append(practice["title"])
            for field in ("what", "how", "outcome"):
                out += list(_paragraphs(practice.get(field)))
    return list(dict.fromkeys(s.strip() for s in out if s and s.strip()))
