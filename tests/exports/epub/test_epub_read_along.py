"""The read-along EPUB: the Leichte Sprache book carries EPUB 3 Media Overlays made
from the audio channel's recording, one ``<par>`` per sentence.

A small Leichte Sprache tree (the handbook, one chapter and one of its pages, each
cut to its first blocks) is read aloud for real (espeak-ng, opusenc) and published
as the audio channel's artifact; the EPUB is then built from the same tree,
unpacked, checked with epubcheck, and its SMIL files are compared with the XHTML,
the recording's timings and the durations of the audio files themselves.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from exports.artifacts import artifact_publish
from exports.channels import channel_get
from exports.content import HandbookTree, build_content_tree, handbooks_source
from exports.content.inline import mediopunkt_remove
from exports.content.pages import ChapterNode
from exports.epub.overlays import sentences_wrap
from exports.models import ArtifactBuild
from exports.read_along import SpokenSentence, read_along_current
from tests.exports.epub.conftest import NS
from tests.factories.trees import trimmed_node

LOCALE = "de-x-ls"
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
SMIL = {"s": "http://www.w3.org/ns/SMIL"}
CLOCK = re.compile(r"^(\d+):(\d\d):(\d\d\.\d{3})$")

pytestmark = pytest.mark.django_db


def _small(tree: HandbookTree) -> HandbookTree:
    assert tree.root is not None
    chapter = next(
        c for c in tree.root.children if isinstance(c, ChapterNode) and c.children
    )
    page = trimmed_node(chapter.children[0], [])
    root = trimmed_node(tree.root, [trimmed_node(chapter, [page])])
    return replace(tree, root=root)


@dataclass
class ReadAlongBook:
    folder: Path
    path: Path
    plain: Path
    # The recording as the audio channel made it: page id → sentences' text.
    spoken: dict[int, list[str]]
    opus: dict[str, Path]  # sha256 → the audio channel's file
    # The EPUB channel's MP3 cache of the locale after the build.
    cached: list[str]
    rebuild_requested: bool
    other_locale_requested: bool

    def xml(self, name: str) -> ET.Element:
        return ET.parse(self.folder / "EPUB" / name).getroot()

    def meta(self, prop: str) -> list[ET.Element]:
        return [
            m
            for m in self.xml("package.opf").iterfind("opf:metadata/opf:meta", NS)
            if m.get("property") == prop
        ]

    def overlays(self) -> dict[str, str]:
        """Content document → its SMIL file, from the manifest."""
        items = list(self.xml("package.opf").iterfind("opf:manifest/opf:item", NS))
        href = {item.get("id"): item.get("href") for item in items}
        return {
            item.get("href"): href[item.get("media-overlay")]
            for item in items
            if item.get("media-overlay")
        }


@pytest.fixture(scope="module")
def read_along_book(django_db_setup, django_db_blocker, tmp_path_factory):
    assert shutil.which("espeak-ng") and shutil.which("opusenc"), "make system-deps"
    out = tmp_path_factory.mktemp("read-along")
    config = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {"LOCALES": [LOCALE], "ROOT": str(out / "audio")},
        },
        "epub": {
            "BACKEND": "exports.epub.channel.EpubChannel",
            "OPTIONS": {
                "LOCALES": ["en", LOCALE],
                "BUILD_DELAY": 0,
                "ROOT": str(out / "epub"),
            },
        },
    }
    with (
        override_settings(EXPORT_CHANNELS=config),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        audio, epub = channel_get("audio"), channel_get("epub")
        handbook = next(iter(handbooks_source()))
        tree = _small(
            build_content_tree(
                handbook=handbook,
                locale_code=LOCALE,
                audience=epub.tree_audience(LOCALE),
            )
        )
        plain = epub.build(tree)
        recorded = audio.build(tree)
        assert plain is not None and recorded is not None
        ArtifactBuild.objects.filter(channel="epub").delete()
        artifact_publish(
            channel="audio",
            locale=LOCALE,
            content=recorded.content,
            media_type=recorded.media_type,
            details=recorded.details,
        )
        pending = set(
            ArtifactBuild.objects.filter(channel="epub", state="pending").values_list(
                "locale", flat=True
            )
        )
        current = read_along_current(locale=LOCALE)
        assert current is not None
        cache = out / "epub" / "read-along" / LOCALE
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "superseded.mp3").write_bytes(b"an older recording")
        built = epub.build(tree)
        assert built is not None
        cached = sorted(p.name for p in cache.iterdir())
        transaction.set_rollback(True)
    path, plain_path = out / "read-along.epub", out / "plain.epub"
    path.write_bytes(built.content)
    plain_path.write_bytes(plain.content)
    folder = out / "book"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    return ReadAlongBook(
        folder=folder,
        path=path,
        plain=plain_path,
        spoken={
            page_id: [s.text for s in page.sentences]
            for page_id, page in current.pages.items()
        },
        opus={page.sha256: page.path for page in current.pages.values()},
        cached=cached,
        rebuild_requested=LOCALE in pending,
        other_locale_requested="en" in pending,
    )


def _seconds(value: str) -> float:
    assert value.endswith("s"), value
    return float(value[:-1])


def _clock(value: str) -> float:
    match = CLOCK.match(value)
    assert match, f"{value!r} is not a full clock value"
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _text(element: ET.Element) -> str:
    """What a listener hears of an element: its text without compound splits."""
    parts = []

    def walk(e: ET.Element) -> None:
        if e.get("class") != "mediopunkt":
            parts.append(e.text or "")
            for child in e:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return mediopunkt_remove(" ".join("".join(parts).split()))


def test_epubcheck_finds_no_errors_or_warnings(read_along_book):
    java = shutil.which("java")
    if java is None or not EPUBCHECK_JAR.exists():
        pytest.fail("epubcheck is missing: `make system-deps` installs it")
    run = subprocess.run(
        [java, "-jar", str(EPUBCHECK_JAR), str(read_along_book.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = run.stdout + run.stderr
    assert "No errors or warnings detected" in report, report
    assert run.returncode == 0, report


def test_every_sentence_has_one_par_in_reading_order(read_along_book):
    overlays = read_along_book.overlays()
    # The cover, the chapter, its page and the imprint read along.
    assert len(overlays) >= 3, overlays
    heard = 0
    for document, smil in overlays.items():
        xhtml = read_along_book.xml(document)
        sentences = [e for e in xhtml.iter() if (e.get("id") or "").startswith("s-")]
        pars = list(read_along_book.xml(smil).iterfind(".//s:par", SMIL))
        targets = [p.find("s:text", SMIL).get("src") for p in pars]
        assert targets == [f"{document}#{e.get('id')}" for e in sentences]
        for element in sentences:
            _s, page_id, number = element.get("id").split("-")
            spoken = read_along_book.spoken[int(page_id)][int(number) - 1]
            # The highlighted words are the words being read.
            assert _text(element) == spoken
        heard += len(sentences)
    # Every recorded sentence is shown and highlighted somewhere.
    assert heard == sum(len(s) for s in read_along_book.spoken.values())


def test_clip_times_increase_and_lie_within_the_audio(read_along_book):
    checked = 0
    for smil in read_along_book.overlays().values():
        # Clips in the recording's order: sentence n + 1 is heard after sentence n
        # (the document may show them in another order: the imprint shows the
        # funding note last, the recording reads it first).
        clips = sorted(
            (
                int(par.find("s:text", SMIL).get("src").rsplit("-", 1)[1]),
                par.find("s:audio", SMIL),
            )
            for par in read_along_book.xml(smil).iterfind(".//s:par", SMIL)
        )
        end_before = 0.0
        for _number, audio in clips:
            begin = _seconds(audio.get("clipBegin"))
            end = _seconds(audio.get("clipEnd"))
            assert end_before <= begin < end
            end_before = end
            name = audio.get("src")
            mp3 = MP3(read_along_book.folder / "EPUB" / name)
            assert end <= mp3.info.length + 0.001
            recording = read_along_book.opus[Path(name).stem]
            assert end <= OggOpus(recording).info.length + 0.001
            checked += 1
    assert checked == sum(len(s) for s in read_along_book.spoken.values())


def test_the_mp3_cache_keeps_only_the_books_audio(read_along_book):
    in_book = sorted(
        p.name for p in (read_along_book.folder / "EPUB" / "audio").iterdir()
    )
    assert in_book == read_along_book.cached
    assert len(in_book) == len(read_along_book.spoken)


def test_durations_are_declared_per_overlay_and_in_total(read_along_book):
    package_items = {
        item.get("id"): item.get("href")
        for item in read_along_book.xml("package.opf").iterfind(
            "opf:manifest/opf:item", NS
        )
    }
    per_overlay = {}
    for meta in read_along_book.meta("media:duration"):
        if meta.get("refines"):
            per_overlay[package_items[meta.get("refines")[1:]]] = _clock(meta.text)
    assert set(per_overlay) == set(read_along_book.overlays().values())
    for smil, declared in per_overlay.items():
        played = sum(
            _seconds(a.get("clipEnd")) - _seconds(a.get("clipBegin"))
            for a in read_along_book.xml(smil).iterfind(".//s:audio", SMIL)
        )
        assert declared == pytest.approx(played, abs=0.002)
    (total,) = [
        m for m in read_along_book.meta("media:duration") if not m.get("refines")
    ]
    assert _clock(total.text) == pytest.approx(sum(per_overlay.values()), abs=0.002)
    (active,) = read_along_book.meta("media:active-class")
    css = (read_along_book.folder / "EPUB" / "style.css").read_text()
    assert f".{active.text} {{" in css


def test_accessibility_metadata_says_the_text_is_also_heard(read_along_book):
    modes = [m.text for m in read_along_book.meta("schema:accessMode")]
    features = [m.text for m in read_along_book.meta("schema:accessibilityFeature")]
    assert "auditory" in modes
    assert "synchronizedAudioText" in features
    (summary,) = read_along_book.meta("schema:accessibilitySummary")
    assert "Das E-Book kann vorlesen." in summary.text


def test_a_book_without_a_recording_has_no_overlays(read_along_book):
    with zipfile.ZipFile(read_along_book.plain) as archive:
        names = archive.namelist()
        package = archive.read("EPUB/package.opf").decode()
        documents = "".join(
            archive.read(n).decode() for n in names if n.endswith(".xhtml")
        )
    assert not [n for n in names if n.endswith((".smil", ".mp3"))]
    assert "media-overlay" not in package and "media:" not in package
    assert "auditory" not in package and "synchronizedAudioText" not in package
    assert "vorlesen" not in package
    assert 'id="s-' not in documents


def test_a_new_recording_rebuilds_that_locales_epub(read_along_book):
    assert read_along_book.rebuild_requested
    assert not read_along_book.other_locale_requested


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # A sentence across inline elements: they move into its span.
        (
            "<p>Eins <a href='g.xhtml#t'>zwei</a> drei. Vier.</p>",
            '<p><span id="s-1">Eins <a href="g.xhtml#t">zwei</a> drei.</span> '
            '<span id="s-2">Vier.</span></p>',
        ),
        # Bold text that two sentences share is split at the sentence end; the
        # glossary link keeps its id in the first part only.
        (
            "<p>Eins. <strong id='u'>Zwei. Drei</strong> vier.</p>",
            '<p><span id="s-1">Eins.</span> <strong id="u"><span id="s-2">Zwei.'
            '</span> </strong><span id="s-3"><strong>Drei</strong> vier.</span></p>',
        ),
        # A label the recording does not read stays outside; a compound split
        # (seen, not read) inside.
        (
            "<h1>Kapitel 1: Bürger<span class='mediopunkt'>·</span>amt</h1>",
            '<h1>Kapitel 1: <span id="s-1">Bürger<span class="mediopunkt">·</span>'
            "amt</span></h1>",
        ),
    ],
)
def test_sentences_are_wrapped_where_they_stand(markup, expected):
    root = ET.fromstring(f"<body>{markup}</body>")
    texts = [
        _text(e)
        for e in ET.fromstring(expected).iter()
        if e.get("id", "").startswith("s-")
    ]
    spoken = [SpokenSentence(text=t, start=i, end=i + 0.5) for i, t in enumerate(texts)]
    wrapped, reached = sentences_wrap(root, spoken, first=0, id_prefix="s-")
    assert [element_id for _i, element_id in wrapped] == [
        f"s-{n}" for n in range(1, len(texts) + 1)
    ]
    assert reached == len(texts)
    assert ET.tostring(root, encoding="unicode") == f"<body>{expected}</body>"
