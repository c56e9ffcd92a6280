"""The audio channel, listened to: real espeak-ng and opusenc, files read back.

Each content locale's two shortest demo pages are read aloud once per module (a
few seconds of CPU in all); every test reads those files. The Opus files are
decoded again with ``opusdec`` to check that the sentence timings point at speech
and the pauses between them at silence. The first page of each locale is kept in
``test-output/audio/`` for a person to listen to.
"""

from __future__ import annotations

import array
import hashlib
import json
import math
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from mutagen.oggopus import OggOpus

from exports.artifacts import artifact_publish
from exports.audio.channel import AudioChannel
from exports.audio.clips import PageClip, page_clip_get
from exports.audio.models import Pronunciation, lexicon_for
from exports.audio.script import Sentence, page_sentences
from exports.builds import artifact_build_run
from exports.content import HandbookTree, PageNode, build_content_tree
from exports.models import ArtifactBuild
from tests.factories.trees import trimmed_node

REPO = Path(__file__).resolve().parents[3]
SAMPLE_DIR = REPO / "test-output" / "audio"
LOCALES = [loc.code for loc in settings.WEGWEISER_LOCALES]
DECODE_RATE = 8000


pytestmark = pytest.mark.django_db


@dataclass
class Listened:
    locale: str
    voice: str
    nodes: list[PageNode]
    sentences: list[list[Sentence]]
    clips: list[PageClip]
    files: list[Path]
    manifest_details: dict
    manifest: bytes


def _short_pages(tree: HandbookTree, language: str) -> list[PageNode]:
    """Two short (trimmed) pages with at least three sentences, fewest words first."""
    spoken = []
    for node in tree.nodes():
        trimmed = trimmed_node(node)
        sentences = page_sentences(trimmed, language=language)
        words = sum(len(s.text.split()) for s in sentences)
        if len(sentences) >= 3:
            spoken.append((words, trimmed.id, trimmed))
    return [node for _n, _id, node in sorted(spoken)[:2]]


@pytest.fixture(scope="module")
def audio_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="module")
def listened(django_db_setup, django_db_blocker, audio_root) -> dict[str, Listened]:
    assert shutil.which("espeak-ng") and shutil.which("opusenc"), (
        "espeak-ng or opus-tools missing: make system-deps"
    )
    channel = AudioChannel(alias="audio", options={"ROOT": str(audio_root)})
    results: dict[str, Listened] = {}
    with django_db_blocker.unblock():
        from exports.content import handbooks_source

        handbook = next(iter(handbooks_source()))
        for code in LOCALES:
            tree = build_content_tree(handbook=handbook, locale_code=code)
            first, second = _short_pages(tree, code)
            small = HandbookTree(
                requested_locale=code,
                audience="web",
                root=replace(first, children=[second]),
            )
            built = channel.build(small)
            assert built is not None
            voice = channel.speech.voice_for(code)
            assert voice is not None
            sentences = [page_sentences(n, language=code) for n in (first, second)]
            clips = [
                page_clip_get(
                    root=audio_root,
                    backend=channel.speech,
                    voice=voice,
                    language=code,
                    title=node.title,
                    sentences=spoken,
                )[0]
                for node, spoken in zip((first, second), sentences, strict=True)
            ]
            results[code] = Listened(
                locale=code,
                voice=voice,
                nodes=[first, second],
                sentences=sentences,
                clips=clips,
                files=[audio_root / "pages" / clip.key for clip in clips],
                manifest_details=dict(built.details),
                manifest=built.content,
            )
    return results


def _decoded(path: Path) -> array.array:
    wav = subprocess.run(
        ["opusdec", "--quiet", "--rate", str(DECODE_RATE), str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout
    samples = array.array("h")
    samples.frombytes(wav[44 : 44 + (len(wav) - 44) // 2 * 2])
    return samples


def _loudness(samples: array.array, start: float, end: float) -> float:
    window = samples[int(start * DECODE_RATE) : int(end * DECODE_RATE)]
    if not window:
        return 0.0
    return math.sqrt(sum(s * s for s in window) / len(window))


@pytest.mark.parametrize("code", LOCALES)
def test_each_page_is_read_for_as_long_as_its_text_needs(listened, code):
    for clip, path, sentences in zip(
        listened[code].clips, listened[code].files, listened[code].sentences,
        strict=True,
    ):  # fmt: skip
        length = OggOpus(path).info.length
        assert length == pytest.approx(clip.duration, abs=0.1)
        words = sum(len(s.text.split()) for s in sentences)
        # espeak at 150 words a minute: 0.4 s a word, give or take a lot.
        assert words * 0.15 < length < words * 1.2 + 2 * len(sentences)


@pytest.mark.parametrize("code", LOCALES)
def test_sentence_timings_cover_every_sentence_in_order(listened, code):
    for clip, path, sentences in zip(
        listened[code].clips, listened[code].files, listened[code].sentences,
        strict=True,
    ):  # fmt: skip
        assert [t.text for t in clip.sentences] == [s.text for s in sentences]
        assert clip.sentences[0].start == 0
        assert clip.sentences[-1].end == pytest.approx(clip.duration, abs=0.01)
        for before, after in zip(clip.sentences, clip.sentences[1:], strict=False):
            assert before.start < before.end <= after.start < after.end
        samples = _decoded(path)
        quiet = [
            _loudness(samples, before.end + 0.05, after.start - 0.05)
            for before, after in zip(clip.sentences, clip.sentences[1:], strict=False)
        ]
        for timing in clip.sentences:
            loud = _loudness(samples, timing.start, timing.end)
            assert loud > 300, f"{timing.text!r} is silent in the file"
            assert all(loud > 10 * q for q in quiet)


def test_leichte_sprache_is_read_by_the_german_voice(listened):
    assert listened["de-x-ls"].voice == listened["de"].voice == "de"
    assert listened["ar"].voice == "ar"


def test_a_sample_per_locale_is_kept_to_listen_to(listened):
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    for code, heard in listened.items():
        kept = SAMPLE_DIR / f"{code}-sample.opus"
        shutil.copyfile(heard.files[0], kept)
        tags = OggOpus(kept).tags
        assert tags is not None
        assert tags["title"] == [heard.nodes[0].title]
        assert tags["language"] == [code]


def test_the_manifest_lists_every_page_and_its_sentences(listened):
    for heard in listened.values():
        clips = heard.manifest_details["clips"]
        assert {k: v["sha256"] for k, v in clips.items()} == {
            str(n.id): c.sha256 for n, c in zip(heard.nodes, heard.clips, strict=True)
        }
        assert set(heard.manifest_details["parts"]) == {c.key for c in heard.clips}
        assert heard.manifest_details["pages"] == 2


def test_audio_is_rebuilt_when_the_text_changes_and_only_then(listened, audio_root):
    heard = listened["de"]
    channel = AudioChannel(alias="audio", options={"ROOT": str(audio_root)})
    sentences = heard.sentences[0]

    def clip_for(spoken: list[Sentence]) -> tuple[PageClip, bool]:
        return page_clip_get(
            root=audio_root,
            backend=channel.speech,
            voice=heard.voice,
            language="de",
            title="x",
            sentences=spoken,
        )

    again, synthesized = clip_for(sentences)
    assert not synthesized and again == heard.clips[0]
    # A lexicon entry for a word the page does not use changes nothing.
    unused = page_sentences(heard.nodes[0], language="de", lexicon={"Zyxw": "Zü"})
    assert clip_for(unused) == (heard.clips[0], False)
    changed = [*sentences[:-1], Sentence(text="Neu.", spoken="Neu.")]
    rebuilt, synthesized = clip_for(changed)
    assert synthesized and rebuilt.key != heard.clips[0].key
    assert [t.text for t in rebuilt.sentences][-1] == "Neu."


def test_a_lexicon_entry_changes_what_is_spoken_not_what_is_shown(listened):
    heard = listened["de"]
    word = heard.sentences[0][0].text.split()[0].strip(".,:;!?")
    corrected = page_sentences(
        heard.nodes[0], language="de", lexicon={word: "Ausgesprochen"}
    )
    assert corrected[0].text == heard.sentences[0][0].text
    assert "Ausgesprochen" in corrected[0].spoken
    assert word not in corrected[0].spoken.split()


def test_export_refuses_a_locale_without_a_voice_and_names_the_known_ones():
    with pytest.raises(CommandError, match="xx"):
        call_command("export", "audio", "--locale", "xx")


def test_a_page_document_lists_its_audio_and_the_file_is_served(
    listened, audio_root, settings, client, django_capture_on_commit_callbacks
):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {"ROOT": str(audio_root)},
        },
    }
    heard = listened["ar"]
    page = client.get(f"/api/v1/pages/{heard.nodes[0].id}/?locale=ar").json()
    assert "channels" not in page  # no audio published yet

    with django_capture_on_commit_callbacks(execute=True):
        artifact_publish(
            channel="audio",
            locale="ar",
            content=heard.manifest,
            media_type="application/json",
            details=heard.manifest_details,
        )
    page = client.get(f"/api/v1/pages/{heard.nodes[0].id}/?locale=ar").json()
    audio = page["channels"]["audio"]["audio"]
    assert audio["media_type"] == "audio/ogg; codecs=opus"
    assert audio["duration"] == heard.clips[0].duration
    served = client.get(audio["url"])
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert hashlib.sha256(body).hexdigest() == audio["sha256"]
    manifest = json.loads(
        b"".join(client.get("/api/v1/artifacts/audio/ar.json").streaming_content)
    )
    assert [p["id"] for p in manifest["pages"]] == [n.id for n in heard.nodes]
    timings = manifest["pages"][0]["sentences"]
    assert [t["text"] for t in timings] == [s.text for s in heard.sentences[0]]


def test_german_lexicon_entries_apply_to_leichte_sprache_and_its_own_win():
    Pronunciation.objects.create(language="de", word="Ehingen", spoken="Eeingen")
    Pronunciation.objects.create(language="de", word="Kreis", spoken="Kreiss")
    Pronunciation.objects.create(language="de-x-ls", word="Kreis", spoken="Greis")
    assert lexicon_for("de") == {"Ehingen": "Eeingen", "Kreis": "Kreiss"}
    assert lexicon_for("de-x-ls") == {"Ehingen": "Eeingen", "Kreis": "Greis"}
    assert lexicon_for("en") == {}


def test_a_lexicon_change_rebuilds_the_locales_that_read_it(
    settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {"LOCALES": ["de", "de-x-ls", "en"]},
        },
    }

    def owed() -> set[str]:
        return set(
            ArtifactBuild.objects.filter(
                channel="audio", state=ArtifactBuild.State.PENDING
            ).values_list("locale", flat=True)
        )

    # The builds are owed, not run: a real build would read three whole locales
    # aloud (callbacks not executed, so nothing reaches a worker either); what the
    # build does with a lexicon is tested above.
    with django_capture_on_commit_callbacks(execute=False):
        entry = Pronunciation.objects.create(language="de", word="Ulm", spoken="Ullm")
    assert owed() == {"de", "de-x-ls"}
    with django_capture_on_commit_callbacks(execute=False):
        entry.language = "en"
        entry.save()
    assert owed() == {"de", "de-x-ls", "en"}


def test_the_admin_overview_shows_each_locale_and_a_failed_build_says_why(
    settings, admin_client, django_capture_on_commit_callbacks
):
    settings.EXPORT_CHANNELS = {
        **settings.EXPORT_CHANNELS,
        "audio": {
            "BACKEND": "exports.audio.channel.AudioChannel",
            "OPTIONS": {
                "SPEECH": {
                    "BACKEND": "exports.audio.speech.EspeakSpeech",
                    # A synthesizer that is not installed: the build must fail
                    # with a message an administrator can act on.
                    "OPTIONS": {"EXECUTABLE": "espeak-ng-not-installed"},
                }
            },
        },
    }
    page = admin_client.get("/admin/vorlesen/")
    assert page.status_code == 200
    html = page.content.decode()
    for code in LOCALES:
        assert f'data-locale="{code}"' in html
    assert "noch nicht vorgelesen" in html

    # "Jetzt vorlesen" owes the locale a build on the generic queue. Its message
    # is not sent (callbacks not executed): a worker (CI's real one included)
    # would read the whole locale aloud with its own settings.
    with django_capture_on_commit_callbacks(execute=False):
        answer = admin_client.post("/admin/vorlesen/en/rebuild/")
    assert answer.status_code == 302
    assert (
        'data-locale="en" data-state="pending"'
        in admin_client.get("/admin/vorlesen/").content.decode()
    )
    assert admin_client.post("/admin/vorlesen/xx/rebuild/").status_code == 404

    # What the worker does with it, here in this process: it fails and says why.
    build = ArtifactBuild.objects.get(channel="audio", locale="en")
    assert artifact_build_run(build_id=build.pk).outcome == "failed"
    html = admin_client.get("/admin/vorlesen/").content.decode()
    assert 'data-locale="en" data-state="failed"' in html
    assert "make system-deps" in html
