"""One Opus file per page, content-addressed by what is spoken.

A page's *source hash* is the sha256 of the speech backend's identity (synthesizer,
version, voice, rate) and the spoken sentences (lexicon applied). The file is
``<root>/pages/<source hash>.opus`` with its timings beside it in ``….json``; when
both exist the page is not synthesized again. So a page's audio is rebuilt when its
text, its voice or a lexicon entry it uses changes — and only then.

Sentences are synthesized one by one and joined with a short pause, so the start
and end of every sentence in the file are known exactly (for read-along later).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from exports.artifacts import file_write_atomically
from exports.audio.script import Sentence
from exports.audio.speech import SpeechBackend, SpeechFailed

MEDIA_TYPE = "audio/ogg; codecs=opus"
EXTENSION = "opus"
# Silence between two sentences, in seconds.
PAUSE = 0.35
# Opus bitrate (kbit/s): clear speech, about 0.2 MB per minute.
BITRATE = 24


@dataclass(frozen=True)
class SentenceTiming:
    """Where one sentence is heard in the page's file, in seconds."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class PageClip:
    """A page's audio file and what is in it."""

    key: str  # file name under the channel's ``pages/`` folder
    source_hash: str
    sha256: str
    size: int
    duration: float
    sentences: tuple[SentenceTiming, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageClip:
        return cls(
            **{
                **data,
                "sentences": tuple(SentenceTiming(**s) for s in data["sentences"]),
            }
        )


def clip_source_hash(
    *, backend: SpeechBackend, voice: str, sentences: Sequence[Sentence]
) -> str:
    """What decides a page's sound, hashed: backend identity and spoken sentences."""
    source = json.dumps(
        [backend.identity(voice), [s.spoken for s in sentences]], ensure_ascii=False
    )
    return hashlib.sha256(source.encode()).hexdigest()


def _opus_encode(pcm: bytes, *, sample_rate: int, title: str, language: str) -> bytes:
    if shutil.which("opusenc") is None:
        raise SpeechFailed(
            "opusenc is not installed: run `make system-deps` (Debian opus-tools)."
        )
    command = [
        "opusenc",
        "--quiet",
        "--raw",
        "--raw-bits",
        "16",
        "--raw-rate",
        str(sample_rate),
        "--raw-chan",
        "1",
        "--bitrate",
        str(BITRATE),
        # A fixed stream serial: the same sound gives the same bytes.
        "--serial",
        "1",
        "--title",
        title,
        "--comment",
        f"LANGUAGE={language}",
        "-",
        "-",
    ]
    done = subprocess.run(
        command,
        input=pcm,
        capture_output=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise SpeechFailed(
            f"opusenc failed: {done.stderr.decode(errors='replace').strip()}"
        )
    return done.stdout


def page_clip_get(
    *,
    root: Path,
    backend: SpeechBackend,
    voice: str,
    language: str,
    title: str,
    sentences: Sequence[Sentence],
) -> tuple[PageClip, bool]:
    """The page's clip, synthesized only if no file for this source exists yet.

    Returns the clip and whether it was synthesized now.
    """
    source_hash = clip_source_hash(backend=backend, voice=voice, sentences=sentences)
    folder = root / "pages"
    audio_path = folder / f"{source_hash}.{EXTENSION}"
    facts_path = folder / f"{source_hash}.json"
    if audio_path.exists() and facts_path.exists():
        return PageClip.from_dict(json.loads(facts_path.read_text())), False
    pcm = bytearray()
    timings: list[SentenceTiming] = []
    sample_rate = 0
    for sentence in sentences:
        speech = backend.speak(sentence.spoken, voice=voice)
        if sample_rate and speech.sample_rate != sample_rate:
            raise SpeechFailed("the synthesizer changed its sample rate mid-page")
        sample_rate = speech.sample_rate
        if pcm:
            pcm.extend(b"\x00\x00" * int(PAUSE * sample_rate))
        start = len(pcm) / 2 / sample_rate
        pcm.extend(speech.pcm)
        end = len(pcm) / 2 / sample_rate
        timings.append(
            SentenceTiming(text=sentence.text, start=round(start, 3), end=round(end, 3))
        )
    if not sample_rate:
        raise SpeechFailed(f"page {title!r} has no text to read")
    audio = _opus_encode(
        bytes(pcm), sample_rate=sample_rate, title=title, language=language
    )
    clip = PageClip(
        key=f"{source_hash}.{EXTENSION}",
        source_hash=source_hash,
        sha256=hashlib.sha256(audio).hexdigest(),
        size=len(audio),
        duration=round(len(pcm) / 2 / sample_rate, 3),
        sentences=tuple(timings),
    )
    # The audio first, its facts last: facts without audio never name a clip.
    file_write_atomically(audio_path, audio)
    file_write_atomically(
        facts_path, json.dumps(clip.as_dict(), ensure_ascii=False).encode()
    )
    return clip, True
