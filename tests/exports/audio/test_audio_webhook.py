"""A page's audio reaches the district website with the page: when its file is
made or changes, the page's document (``channels.audio``) is pushed again.

Real espeak-ng and opusenc, the real reference receiver over HTTP; tasks run in
this process (the session's worker has no audio locales configured).
"""

from __future__ import annotations

import json

import pytest
from wagtail.models import Page

from exports.models import ContentEvent
from tests.conftest import wait_until
from tests.factories.pages import chapter_factory, handbook_factory

pytestmark = pytest.mark.django_db(transaction=True)


def pushed_audio(website, page) -> dict | None:
    row = website.current(page.translation_key).get("de")
    if row is None:
        return None
    document = json.loads(row["body"])["data"]["document"] or {}
    return (document.get("channels") or {}).get("audio", {}).get("audio")


def test_a_page_s_new_audio_is_pushed_with_the_page(
    website, wagtail_tree, tasks_in_this_process, settings, tmp_path
):
    # Only this handbook is read aloud (the channel reads the first one): the
    # session's demo, if still loaded, would take minutes of speech.
    Page.objects.filter(depth=2).delete()
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            # Read aloud as soon as a publish commits, as before the generic
            # queue; folding publishes over a window is tested for print.
            "OPTIONS": {"LOCALES": ["de"], "BUILD_DELAY": 0},
        },
    }
    website.up()
    handbook = handbook_factory()
    chapter = chapter_factory(
        handbook, intro="<p>Das ist der Anfang. Hier steht noch ein Satz.</p>"
    )
    # Published first, read aloud after the publish: the second push carries it.
    assert wait_until(lambda: pushed_audio(website, chapter) is not None, timeout=120)
    first = pushed_audio(website, chapter)
    assert first["url"].startswith("/api/v1/artifacts/audio/de/")
    assert ContentEvent.objects.filter(
        translation_key=chapter.translation_key, locale="de", kind="channel"
    ).exists()

    # New text, new file: the website gets the page with its new audio.
    chapter.intro = "<p>Das ist ein neuer Anfang.</p>"
    chapter.save_revision().publish()
    assert wait_until(
        lambda: (pushed_audio(website, chapter) or first)["url"] != first["url"],
        timeout=120,
    )
