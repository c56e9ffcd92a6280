"""The gettext catalogues in locales/: one per content locale, nothing missing."""

from __future__ import annotations

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from tests.conftest import REPO

CATALOGUES = REPO / "locales"


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory) -> set[tuple[str | None, str]]:
    """The strings in the code now, extracted by ``makemessages`` in a copy."""
    work = tmp_path_factory.mktemp("messages")
    for name in ("cms", "exports", "manage.py"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("*.pyc"))
        else:
            shutil.copy(src, work / name)
    (work / "locales").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=work,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        check=True,
        capture_output=True,
    )
    po = polib.pofile(str(work / "locales/de/LC_MESSAGES/django.po"))
    msgids = {(e.msgctxt, e.msgid) for e in po}
    assert len(msgids) > 100, "makemessages found (almost) no strings"
    return msgids


@pytest.mark.parametrize("code", [loc.code for loc in settings.WEGWEISER_LOCALES])
def test_every_content_locale_has_a_complete_catalogue(code, source_msgids, tmp_path):
    # Django looks a language up by its locale name: de-x-ls lives in de_X-ls.
    po_path = CATALOGUES / to_locale(code) / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    missing = sorted(m for _, m in source_msgids - entries.keys())
    assert not missing, f"{po_path} lacks {missing}"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)

    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "c.mo"), po_path],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # The committed .mo is what Django reads: it must be compiled from this .po.
    committed = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {(e.msgctxt, e.msgid) for e in committed} >= source_msgids


def test_django_finds_the_leichte_sprache_catalogue():
    with translation.override("de-x-ls"):
        assert translation.gettext("Leichte Sprache version") == "Leichte Sprache"
    with translation.override("ar"):
        assert translation.gettext("Translation status") == "حالة الترجمة"
