"""Machine translation from the environment, against a LibreTranslate-speaking server.

The real LibreTranslate service cannot run on the test machines (no models, no
network), so ``FakeLibreTranslate`` below is a tiny HTTP server on 127.0.0.1 that
speaks its ``POST /translate`` API: JSON with ``q`` (a list), ``source``,
``target``, ``format`` and ``api_key``, answering ``{"translatedText": [...]}``.
wagtail-localize's own LibreTranslator talks to it over real HTTP.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from cms.translators.machine import machine_translator_setting
from cms.translators.selectors import translation_status_for
from tests.conftest import REPO
from tests.factories.pages import chapter_factory
from tests.translators.conftest import translated


class FakeLibreTranslate(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.path != "/translate" or body.get("api_key") != "test-key":
            self.send_response(403)
            self.end_headers()
            return
        answer = json.dumps(
            {"translatedText": [f"[{body['target']}] {q}" for q in body["q"]]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def libretranslate(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeLibreTranslate.requests = []
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
        name="libretranslate",
        libretranslate_url=f"http://127.0.0.1:{server.server_port}/",
        libretranslate_api_key="test-key",
    )
    yield FakeLibreTranslate
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_translator_machine_translates_and_segments_are_marked(
    translator_client, demo_handbook, libretranslate
):
    chapter = chapter_factory(demo_handbook, title="Neues Kapitel")
    TranslationCreator(
        user=None, target_locales=[Locale.objects.get(language_code="ar")]
    ).create_translations(chapter)
    chapter_ar = translated(chapter, "ar")
    translation = Translation.objects.get(
        source__object_id=chapter.translation_key, target_locale=chapter_ar.locale
    )

    # The editor offers the configured translator by name.
    editor = translator_client.get(f"/admin/pages/{chapter_ar.pk}/edit/")
    assert "LibreTranslate" in editor.content.decode()

    response = translator_client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk])
    )
    assert response.status_code == 302
    assert libretranslate.requests[0]["source"] == "de"
    assert libretranslate.requests[0]["target"] == "ar"

    machine = StringTranslation.objects.filter(
        context__object_id=chapter.translation_key,
        locale=chapter_ar.locale,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    assert machine.filter(data="[ar] Neues Kapitel", tool_name="LibreTranslate")
    total, done = translation.get_progress()
    assert done == total
    translation.save_target(publish=True)
    assert translation_status_for(translated(chapter, "ar")) == "machine"


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "MACHINE_TRANSLATOR": "deepl",
        "DEEPL_AUTH_KEY": "abc:fx",
        "PATH": "/usr/bin:/bin",
        "VAR_DIR": str(REPO / "var"),
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "DeepLTranslator" in out and "abc:fx" in out


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "google"}, "not known; use one of: deepl, libretranslate"),
        ({"name": "deepl"}, "needs DEEPL_AUTH_KEY"),
        ({"name": "libretranslate"}, "needs LIBRETRANSLATE_URL"),
    ],
)
def test_a_misconfigured_translator_stops_start_up(kwargs, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        machine_translator_setting(**kwargs)


def test_no_translator_by_default():
    assert machine_translator_setting(name="") is None
