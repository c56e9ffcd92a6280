"""Audio part of `make bench`: synthesis speed per locale, as seconds of audio per
second of CPU (the synthesizer's and the encoder's processes included).

In a fresh SQLite database (var/bench-audio/) with the demo handbook, the first
``BENCH_AUDIO_SENTENCES`` sentences of each locale's handbook (in reading order,
as the channel reads them) are spoken by the configured speech backend and
encoded to Opus, as the worker does for a page. Small on purpose: the rate is
what matters, and the machine may be shared (CPU time, not wall time, is the
figure). A rate of 20 means an hour of audio costs three minutes of CPU.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import PartUnavailable
from bench.manage import REPO, manage

VAR = REPO / "var" / "bench-audio"
RESULT = VAR / "audio.json"
SENTENCES = int(os.environ.get("BENCH_AUDIO_SENTENCES", "24"))


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{VAR / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(VAR / "media"),
        "VAR_DIR": str(VAR),
        "REDIS_URL": "",
        "WEBSITE_WEBHOOK_URL": "",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def measure() -> None:
    """Speak and encode each locale's first sentences (runs under Django)."""
    from django.conf import settings

    from exports.audio.clips import page_clip_get
    from exports.audio.script import page_sentences
    from exports.audio.speech import speech_backend_load
    from exports.content import build_content_tree, handbooks_source

    backend = speech_backend_load(None)
    handbook = next(iter(handbooks_source()))
    results: dict[str, Any] = {}
    for locale in settings.WEGWEISER_LOCALES:
        voice = backend.voice_for(locale.code)
        if voice is None:
            continue
        tree = build_content_tree(handbook=handbook, locale_code=locale.code)
        sentences = []
        for node in tree.nodes():
            sentences += page_sentences(node, language=locale.code)
            if len(sentences) >= SENTENCES:
                break
        sentences = sentences[:SENTENCES]
        with tempfile.TemporaryDirectory() as root:
            cpu, wall = _cpu(), time.perf_counter()
            clip, _new = page_clip_get(
                root=Path(root),
                backend=backend,
                voice=voice,
                language=locale.code,
                title="bench",
                sentences=sentences,
            )
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
        results[locale.code] = {
            "voice": backend.identity(voice),
            "sentences": len(sentences),
            "audio_seconds": clip.duration,
            "cpu_seconds": round(cpu, 3),
            "wall_seconds": round(wall, 3),
            "audio_per_cpu_second": round(clip.duration / cpu, 1) if cpu else None,
            "opus_kbytes_per_minute": round(clip.size / 1024 / clip.duration * 60, 1),
        }
    RESULT.write_text(json.dumps(results, indent=1, ensure_ascii=False))


def run() -> dict[str, Any]:
    if not (shutil.which("espeak-ng") and shutil.which("opusenc")):
        raise PartUnavailable("espeak-ng or opusenc missing: make system-deps")
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    print("[audio] migrating a fresh SQLite database and loading the demo …")
    manage("migrate", "--noinput", "-v0", env=_env())
    manage("load_demo", env=_env())
    print(f"[audio] speaking the first {SENTENCES} sentences of each locale …")
    manage("shell", "-c", "from bench.audio import measure; measure()", env=_env())
    locales = json.loads(RESULT.read_text())
    print(f"{'locale':8} {'audio s':>8} {'CPU s':>7} {'audio/CPU':>10} {'kB/min':>7}")
    for code, row in locales.items():
        print(
            f"{code:8} {row['audio_seconds']:8.1f} {row['cpu_seconds']:7.2f} "
            f"{row['audio_per_cpu_second']:10.1f} {row['opus_kbytes_per_minute']:7.1f}"
        )
    return {"sentences_per_locale": SENTENCES, "locales": locales}
