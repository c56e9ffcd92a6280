"""Speech backends: text in, 16-bit mono PCM out.

The backend is a setting shaped like the channels (``{"BACKEND": "dotted.Class",
"OPTIONS": {...}}``, the audio channel's ``SPEECH`` option), so a district can plug
in a better voice without touching the channel. espeak-ng is the default: it ships
its voices inside the Debian package and never downloads anything.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DEFAULT_SPEECH: dict[str, Any] = {
    "BACKEND": "exports.audio.speech.EspeakSpeech",
    "OPTIONS": {},
}


class SpeechFailed(RuntimeError):
    """The synthesizer could not speak a text; the message says why."""


@dataclass(frozen=True)
class Speech:
    """One spoken text: raw PCM samples (signed 16-bit, little-endian, mono)."""

    pcm: bytes
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


class SpeechBackend:
    """A speech synthesizer. Subclasses set ``name`` and implement the two methods.

    ``identity`` goes into every page's source hash, so changing the voice, its
    rate or the synthesizer's version rebuilds the audio, and nothing else does.
    """

    # Stable machine name of the backend, shown in manifests and logs.
    name: ClassVar[str] = ""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = dict(options)

    def voice_for(self, language: str) -> str | None:
        """The voice for a content locale, or None if this backend cannot speak it."""
        raise NotImplementedError

    def speak(self, text: str, *, voice: str) -> Speech:
        """``text`` spoken by ``voice``."""
        raise NotImplementedError

    def identity(self, voice: str) -> str:
        """What decides the sound of ``voice`` (backend, version, voice, rate)."""
        return f"{self.name}:{voice}"


class EspeakSpeech(SpeechBackend):
    """Debian's ``espeak-ng``: formant voices for de, en, ar, fa, tr, uk, ro.

    OPTIONS: ``VOICES`` (locale → espeak voice; merged over the defaults below),
    ``RATE`` (words per minute, default 150: a little slower than espeak's 175,
    for listeners learning the language), ``EXECUTABLE`` (default ``espeak-ng``).
    """

    name: ClassVar[str] = "espeak-ng"
    # Leichte Sprache is German: it is read by the German voice.
    DEFAULT_VOICES: ClassVar[dict[str, str]] = {
        "de": "de",
        "de-x-ls": "de",
        "en": "en-gb",
        "ar": "ar",
        "fa": "fa",
        "tr": "tr",
        "uk": "uk",
        "ro": "ro",
    }

    def __init__(self, options: Mapping[str, Any]) -> None:
        super().__init__(options)
        self.voices = {**self.DEFAULT_VOICES, **dict(options.get("VOICES", {}))}
        self.rate = int(options.get("RATE", 150))
        self.executable = str(options.get("EXECUTABLE", "espeak-ng"))

    @cached_property
    def version(self) -> str:
        found = shutil.which(self.executable)
        if found is None:
            raise SpeechFailed(
                f"{self.executable!r} is not installed: run `make system-deps` "
                "(Debian package espeak-ng)."
            )
        out = subprocess.run(
            [found, "--version"], capture_output=True, text=True, check=True
        ).stdout
        # "eSpeak NG text-to-speech: 1.51  Data at: …"
        return out.split(":", 1)[-1].split("Data")[0].strip()

    def voice_for(self, language: str) -> str | None:
        voice = self.voices.get(language)
        if voice is None:
            voice = self.voices.get(language.split("-")[0])
        return voice

    def identity(self, voice: str) -> str:
        return f"{self.name} {self.version}:{voice}@{self.rate}"

    def speak(self, text: str, *, voice: str) -> Speech:
        with tempfile.TemporaryDirectory(prefix="wegweiser-speech-") as folder:
            out = Path(folder) / "speech.wav"
            done = subprocess.run(
                [
                    self.executable,
                    "-v",
                    voice,
                    "-s",
                    str(self.rate),
                    "-w",
                    str(out),
                    "--stdin",
                ],
                input=text.encode(),
                capture_output=True,
                timeout=120,
            )
            if done.returncode != 0 or not out.exists():
                raise SpeechFailed(
                    f"espeak-ng could not speak with voice {voice!r}: "
                    f"{done.stderr.decode(errors='replace').strip() or done.returncode}"
                )
            with wave.open(str(out), "rb") as wav:
                if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                    raise SpeechFailed("espeak-ng wrote audio that is not 16-bit mono")
                return Speech(
                    pcm=wav.readframes(wav.getnframes()),
                    sample_rate=wav.getframerate(),
                )


def speech_backend_load(config: Mapping[str, Any] | None) -> SpeechBackend:
    """The backend named in ``config`` (the channel's ``SPEECH`` option)."""
    config = config or DEFAULT_SPEECH
    path = config.get("BACKEND") if isinstance(config, Mapping) else None
    if not path:
        raise ImproperlyConfigured(
            "SPEECH needs a 'BACKEND' (a dotted path to a SpeechBackend class), e.g. "
            f"{DEFAULT_SPEECH['BACKEND']!r}."
        )
    try:
        backend = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SPEECH: cannot import {path!r} ({exc}).") from exc
    if not (isinstance(backend, type) and issubclass(backend, SpeechBackend)):
        raise ImproperlyConfigured(f"SPEECH: {path!r} is not a SpeechBackend class.")
    options = config.get("OPTIONS", {})
    if not isinstance(options, Mapping):
        raise ImproperlyConfigured("SPEECH['OPTIONS'] must be a dict.")
    instance: SpeechBackend = backend(options)
    return instance
