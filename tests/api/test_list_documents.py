"""The list endpoints answer exactly what they answered before they were built
from the content tree: every list × locale × filter, byte for byte.

``data/list_responses.json`` was captured from the lists as they were built
from page rows (before the switch to page nodes). Translation keys are random per
demo load, so they are written as the German slug of their page; everything else
is compared as served. Regenerate (after a change you mean) with
``LIST_RESPONSES_WRITE=1 pytest tests/api/test_list_documents.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from wagtail.models import Page

from cms.snippets.models import Municipality, Topic

GOLDEN = Path(__file__).parent / "data" / "list_responses.json"
LOCALES = ("de", "ar", "fa", "de-x-ls")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Django's storage appends "_" and seven random characters to a file name already
# taken (the suite's media folder outlives a session): originals and renditions,
# once per name taken, so a rendition of a renamed original can carry two.
MEDIA_URL_RE = re.compile(r"/media/[^\"\s,]+")
FILE_SUFFIX_RE = re.compile(r"(?:_[A-Za-z0-9]{7})+(?=\.)")


def _media_names_plain(text: str) -> str:
    return MEDIA_URL_RE.sub(lambda m: FILE_SUFFIX_RE.sub("", m.group(0)), text)


def _list_paths() -> list[str]:
    topic = Topic.objects.order_by("slug").values_list("slug", flat=True).first()
    town = Municipality.objects.order_by("slug").values_list("slug", flat=True).first()
    paths = []
    for locale in LOCALES:
        q = f"locale={locale}"
        paths += [
            f"handbooks/?{q}",
            f"recommendations/?{q}",
            f"recommendations/?{q}&limit=2&offset=1",
            f"recommendations/?{q}&topic={topic}",
            f"recommendations/?{q}&municipality={town}",
            f"recommendations/?{q}&fields=title,summary",
            f"best-practices/?{q}",
            f"best-practices/?{q}&municipality={town}",
            f"portraits/?{q}",
            f"portraits/?{q}&fields=display_name,photo",
            f"glossary/?{q}",
        ]
    return paths


def _normalized(body: bytes) -> str:
    """The body with each translation key replaced by its German page's slug, and
    image file names without the suffix storage adds to a name already taken."""
    slugs = {
        str(key): slug
        for key, slug in Page.objects.filter(locale__language_code="de").values_list(
            "translation_key", "slug"
        )
    }
    text = _media_names_plain(body.decode())
    return UUID_RE.sub(lambda m: f"key:{slugs.get(m.group(0), 'unknown')}", text)


@pytest.mark.django_db
def test_every_list_answers_as_before(client):
    served = {}
    for path in _list_paths():
        response = client.get(f"/api/v1/{path}")
        assert response.status_code == 200, (path, response.content[:300])
        served[path] = _normalized(response.content)
    if os.environ.get("LIST_RESPONSES_WRITE"):
        GOLDEN.write_text(json.dumps(served, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert list(served) == list(expected)
    for path, body in served.items():
        assert body == _media_names_plain(expected[path]), path


SUMMARY_META = ("requested_locale", "served_locale", "fallback", "api_url")


@pytest.mark.django_db
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "kind", ["handbooks", "recommendations", "best-practices", "portraits"]
)
def test_a_list_item_says_what_its_page_says(api, kind, locale):
    """Every field of a list item is the page's own document's, as the detail
    serves it (title, summary, names, photo: one node, one serialization)."""
    listed = api(f"{kind}/?locale={locale}&limit=100").data["items"]
    # The session's demo has no Leichte Sprache portraits (and no fallback).
    assert listed or (kind, locale) == ("portraits", "de-x-ls")
    for item in listed:
        detail = api(item["meta"]["api_url"].removeprefix("/api/v1/")).data
        assert {k: v for k, v in item.items() if k != "meta"} == {
            k: detail[k] for k in item if k != "meta"
        }
        assert item["meta"] == {k: detail["meta"][k] for k in SUMMARY_META}
