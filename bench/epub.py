"""EPUB part of `make bench`: build time of every locale's EPUB.

In a fresh SQLite database (var/bench-epub/) with the demo handbook and a
synthetic handbook of 200 pages per locale (``generate_handbook --pages 200``),
every handbook × locale EPUB is built the way the worker builds it: the content
tree for the channel's audience (``build_content_tree``), then the book
(``EpubChannel.build``). The first build of a handbook also makes the pictures'
renditions; it is reported apart ("cold"), then the best of REPEAT warm builds
per locale, split into tree and book time, with the file's size.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.manage import manage

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench-epub"
SYNTHETIC_PAGES = int(os.environ.get("BENCH_EPUB_SYNTHETIC_PAGES", "200"))
# Best of, per locale: the machine may be shared.
REPEAT = int(os.environ.get("BENCH_EPUB_REPEAT", "3"))


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
        "BENCH_EPUB_REPEAT": str(REPEAT),
    }


def measure() -> None:
    """Build every handbook × locale EPUB; write the timings (runs under Django)."""
    from django.conf import settings

    from cms.pages.models import HandbookPage
    from exports.content import build_content_tree
    from exports.epub.channel import EpubChannel

    channel = EpubChannel(alias="epub", options={"LOCALES": []})
    results: dict[str, Any] = {}
    handbooks = HandbookPage.objects.filter(locale__language_code="de").order_by("pk")
    names = {"handbuch-integration": "demo"}
    for handbook in handbooks:
        name = names.get(handbook.slug, "synthetic")
        per_locale: dict[str, Any] = {}
        for number, locale in enumerate(settings.WEGWEISER_LOCALES):
            code = locale.code
            runs = []
            for _ in range(REPEAT + (1 if number == 0 else 0)):
                started = time.perf_counter()
                tree = build_content_tree(
                    handbook=handbook,
                    locale_code=code,
                    audience=channel.tree_audience(code),
                )
                tree_done = time.perf_counter()
                built = channel.build(tree)
                finished = time.perf_counter()
                assert built is not None
                runs.append(
                    {
                        "seconds": round(finished - started, 3),
                        "tree_seconds": round(tree_done - started, 3),
                        "book_seconds": round(finished - tree_done, 3),
                        "size_kb": round(len(built.content) / 1024),
                        "documents": built.details["documents"],
                    }
                )
            if number == 0:
                results.setdefault(name, {})["cold_first_build"] = runs.pop(0)
            per_locale[code] = min(runs, key=lambda r: r["seconds"])
        results.setdefault(name, {})["locales"] = per_locale
    (VAR / "results.json").write_text(json.dumps(results, indent=1))


def run() -> dict[str, Any]:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = _env()
    print("[epub] migrating a fresh SQLite database …", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    print("[epub] loading the demo handbook …", flush=True)
    manage("load_demo", env=env)
    print(f"[epub] generating a synthetic handbook ({SYNTHETIC_PAGES} pages) …")
    manage("generate_handbook", "--pages", str(SYNTHETIC_PAGES), env=env)
    print("[epub] building 2 handbooks × 8 locales …", flush=True)
    manage("shell", "-c", "from bench.epub import measure; measure()", env=env)
    results: dict[str, Any] = json.loads((VAR / "results.json").read_text())
    for name, part in results.items():
        print(
            f"\n[epub] {name}: first build (renditions made) {part['cold_first_build']}"
        )
        print(
            f"{'locale':<9}{'total s':>9}{'tree s':>9}{'book s':>9}{'KB':>8}{'docs':>6}"
        )
        for code, r in part["locales"].items():
            print(
                f"{code:<9}{r['seconds']:>9.3f}{r['tree_seconds']:>9.3f}"
                f"{r['book_seconds']:>9.3f}{r['size_kb']:>8}{r['documents']:>6}"
            )
    return {
        "what": "EPUB build per locale: content tree + book (best of "
        f"{REPEAT}); the synthetic handbook has {SYNTHETIC_PAGES} pages per locale",
        "cpu_count": os.cpu_count(),
        "handbooks": results,
    }
