"""Tree part of `make bench`: SQL queries and time to build the content tree.

The content tree (``exports.content.build_content_tree``) promises a fixed number of
queries per handbook, whatever its number of pages. This part checks that promise
against today's way of getting every page's document, one page at a time
(``page_document_for`` for each German page of the handbook, as the website resync
and print did), in the same run, on the same data:

- the demo handbook in all 8 locales;
- a synthetic handbook (``generate_handbook``, 2,000 pages × 8 locales) in one
  locale (``ar`` by default: it has the most fallback work after ``de-x-ls``).

For each it records the queries of one warm build (counted as they run), the
median seconds of a few builds, the pages in the tree and documents per second.
It builds a PostgreSQL database of its own (``BENCH_TREE_DATABASE_URL``, default
``…/wegweiser_bench_tree``); a ``sqlite:///…`` URL works too, for a machine
without PostgreSQL. Until ``build_content_tree`` exists, the part says so and
fails without building anything.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench import PartUnavailable
from bench.manage import manage

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench-tree"
PAGES = int(os.environ.get("BENCH_TREE_PAGES", "2000"))
SYNTHETIC_LOCALE = os.environ.get("BENCH_TREE_LOCALE", "ar")
# Median of this many timed builds; the machine may be shared.
RUNS = int(os.environ.get("BENCH_TREE_RUNS", "5"))
# Page by page, the synthetic handbook takes seconds per build: fewer runs.
OLD_RUNS_SYNTHETIC = int(os.environ.get("BENCH_TREE_OLD_RUNS", "3"))
DATABASE_URL = os.environ.get(
    "BENCH_TREE_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/wegweiser_bench_tree",
)
DEMO_SLUG = "handbuch-integration"
SYNTHETIC_SLUG_PREFIX = "synthetischer-handbuch-"
# The module the tree comes from, and the names this part calls.
TREE_IMPORT = "from exports.content import build_content_tree, page_document_for"


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": DATABASE_URL,
        "MEDIA_ROOT": str(VAR / "media"),
        "VAR_DIR": str(VAR),
        # Loading the demo publishes pages: nothing should be delivered anywhere.
        "REDIS_URL": "",
        "WEBSITE_WEBHOOK_URL": "",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }


def _manage(*args: str) -> str:
    return manage(*args, env=_env())


def _tree_importable() -> None:
    """Fail fast, before minutes of set-up, when the tree is not there yet."""
    try:
        _manage("shell", "-c", TREE_IMPORT)
    except subprocess.CalledProcessError as exc:
        lines = (exc.stderr or "").strip().splitlines()
        raise PartUnavailable(
            f"cannot import the content tree ({TREE_IMPORT!r}): "
            f"{lines[-1] if lines else 'no error output'}. This part measures "
            f"exports.content.build_content_tree(*, handbook, locale_code), which "
            f"arrives with issue 13's content tree; run it on a branch that has it."
        ) from exc


def _prepare() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    if DATABASE_URL.startswith("postgres"):
        import psycopg

        name = DATABASE_URL.rsplit("/", 1)[1]
        admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    print("[tree] migrating a fresh database …", flush=True)
    _manage("migrate", "--noinput", "-v0")
    print("[tree] loading the demo handbook …", flush=True)
    _manage("load_demo")
    print(f"[tree] generating a synthetic handbook ({PAGES} pages × 8 locales) …")
    print("[tree] " + _manage("generate_handbook", "--pages", str(PAGES)).strip())
    if DATABASE_URL.startswith("postgres"):
        import psycopg

        # Bulk-inserted rows have no planner statistics until autovacuum runs; a
        # production database has them, so measure with them.
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            conn.execute("ANALYZE")


# --- Under Django: the measurements --------------------------------------------------


def _counted(build: Callable[[], Any]) -> tuple[int, Any]:
    """The SQL statements one ``build()`` runs, and its result. Counted as they
    run: Django's query log keeps only the last 9,000, fewer than 2,000 pages
    take one at a time."""
    from django.db import connection

    count = 0

    def counted(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal count
        count += 1
        return execute(*args)

    with connection.execute_wrapper(counted):
        result = build()
    return count, result


def _timed(build: Callable[[], Any], runs: int) -> tuple[dict[str, Any], Any]:
    """Queries of one build, median seconds of ``runs`` more, and the last result.

    The first build warms Django's and the database's caches (content types,
    locales, sites: once per process, so the first handbook built in a process
    counts them); its queries are reported as ``queries_first``. The counted and
    the timed builds after it measure the steady state a worker or a request
    sees. CPU seconds (this process only, not the database's) move less than wall
    seconds when others share the machine.
    """
    queries_first, _ = _counted(build)
    queries, result = _counted(build)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = build()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    seconds = statistics.median(wall)
    return {
        "queries": queries,
        "queries_first": queries_first,
        "seconds": round(seconds, 4),
        "cpu_seconds": round(statistics.median(cpu), 4),
    }, result


def _side(timing: dict[str, Any], documents: int) -> dict[str, Any]:
    seconds = timing["seconds"]
    return {
        **timing,
        "documents": documents,
        "documents_per_s": round(documents / seconds, 1) if seconds else None,
    }


def measure(name: str, locale_codes: list[str], runs: int, old_runs: int) -> None:
    """Print, as one JSON line, old and new for handbook ``name`` in each locale.

    Runs under Django (``manage.py shell``); Django and the tree are imported here,
    not at the top, so that the bench runner itself stays free of Django.
    """
    from wagtail.models import Page

    from cms.pages.models import HandbookPage
    from exports.content import build_content_tree, page_document_for

    german = HandbookPage.objects.filter(locale__language_code="de")
    if name == "demo":
        handbook = german.get(slug=DEMO_SLUG)
    else:
        handbook = german.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).latest("pk")

    def documents_one_by_one(code: str) -> int:
        # Today's way, as the resync did it: list the pages, then one at a time.
        pages = Page.objects.filter(
            path__startswith=handbook.path, locale_id=handbook.locale_id
        ).order_by("path")
        built = 0
        for page in pages:
            if page_document_for(page, code) is not None:
                built += 1
        return built

    rows = []
    for code in locale_codes:
        tree_timing, tree = _timed(
            partial(build_content_tree, handbook=handbook, locale_code=code), runs
        )
        old_timing, old_documents = _timed(
            partial(documents_one_by_one, code), old_runs
        )
        rows.append(
            {
                "handbook": name,
                "locale": code,
                "source_pages": handbook.get_descendants(inclusive=True).count(),
                "page_by_page": _side(old_timing, old_documents),
                "tree": _side(tree_timing, sum(1 for _ in tree.nodes())),
            }
        )
    print(json.dumps(rows))


def _measure(name: str, locale_codes: list[str], runs: int, old_runs: int) -> list:
    code = (
        "from bench.tree import measure; "
        f"measure({name!r}, {locale_codes!r}, {runs!r}, {old_runs!r})"
    )
    return json.loads(_manage("shell", "-c", code).strip().splitlines()[-1])


def _content_locales() -> list[str]:
    code = (
        "from django.conf import settings; "
        "print(','.join(loc.code for loc in settings.WEGWEISER_LOCALES))"
    )
    return _manage("shell", "-c", code).strip().splitlines()[-1].split(",")


def _table(rows: list[dict[str, Any]]) -> None:
    print(
        f"\n{'handbook':<10}{'locale':<8}{'pages':>6} │"
        f"{'queries':>9}{'s':>8}{'docs/s':>9} │"
        f"{'queries':>9}{'s':>8}{'docs/s':>9} │{'faster':>7}"
    )
    print(f"{'':<24} │{'page by page (today)':^26} │{'content tree':^26} │")
    for row in rows:
        old, new = row["page_by_page"], row["tree"]
        faster = old["seconds"] / new["seconds"] if new["seconds"] else 0
        print(
            f"{row['handbook']:<10}{row['locale']:<8}{new['documents']:>6} │"
            f"{old['queries']:>9}{old['seconds']:>8.3f}{old['documents_per_s']:>9} │"
            f"{new['queries']:>9}{new['seconds']:>8.3f}{new['documents_per_s']:>9} │"
            f"{faster:>6.1f}×"
        )


def run() -> dict:
    _tree_importable()
    _prepare()
    locales = _content_locales()
    print(f"[tree] demo handbook, {len(locales)} locales …", flush=True)
    rows = _measure("demo", locales, RUNS, RUNS)
    print(f"[tree] synthetic handbook, {SYNTHETIC_LOCALE} …", flush=True)
    rows += _measure("synthetic", [SYNTHETIC_LOCALE], RUNS, OLD_RUNS_SYNTHETIC)
    _table(rows)
    return {
        "database": "PostgreSQL" if DATABASE_URL.startswith("postgres") else "SQLite",
        "synthetic_pages_per_locale": PAGES,
        "runs": {"tree": RUNS, "page_by_page_synthetic": OLD_RUNS_SYNTHETIC},
        "results": rows,
    }
