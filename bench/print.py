"""Print part of `make bench`: Typst against WeasyPrint on the same content tree.

In a fresh SQLite database (var/bench-print/) with the demo handbook and a
synthetic handbook (``generate_handbook``, sized to about 200 printed pages) in
all 8 locales:

1. the print data (``print_source``) of every handbook × locale is built from the
   database and written to disk with its images; the data time of that first
   build is reported, and of a second build of every locale in a later pass
   (``data_seconds_repeat``: what a worker rebuilding after a publish pays, with
   what a process keeps between builds, such as drawn QR codes, already there);
2. each PDF is rendered in a child process of its own, once with Typst (the
   product: exports/print/templates/handbook.typ, compiled the way the worker
   does it, in a short-lived process of its own) and once with WeasyPrint
   rendering the same data as HTML + CSS (bench/print_html.py, bench-only);
   the child measures the render's wall and CPU time (its own and its
   children's), the parent reads the peak RSS from ``wait4``;
3. "all locales" renders every locale of a handbook in one child, one after
   another, as a full rebuild would.

Both engines run in the same run, on the same data, fonts and images.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.manage import manage

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench-print"
SOURCES = VAR / "sources"
# generate_handbook --pages: pages below the handbook root per locale; 280 print
# as about 200 A4 pages with the handbook template.
SYNTHETIC_PAGES = int(os.environ.get("BENCH_PRINT_SYNTHETIC_PAGES", "280"))
# Best of, per build and engine: the machine may be shared.
REPEAT = int(os.environ.get("BENCH_PRINT_REPEAT", "2"))
ENGINES = ("typst", "weasyprint")


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


def _manage(*args: str) -> str:
    return manage(*args, env=_env())


# --- Step 1: the data, from the database ---------------------------------------------


def export_sources() -> None:
    """Write every handbook × locale print source to SOURCES (runs under Django)."""
    from django.conf import settings

    from cms.collector import collector_spares_start_up
    from cms.pages.models import HandbookPage
    from exports.print.data import print_source

    # Builds run in a worker process, which leaves what it loaded at start-up out
    # of the garbage collector's passes (cms.celery): this process does the same.
    collector_spares_start_up()
    manifest: dict[str, Any] = {}
    repeats: dict[str, Any] = {}
    handbooks = HandbookPage.objects.filter(locale__language_code="de").order_by("pk")
    names = {"handbuch-integration": "demo"}
    for handbook in handbooks:
        name = names.get(handbook.slug, "synthetic")
        for locale in settings.WEGWEISER_LOCALES:
            started = time.perf_counter()
            source = print_source(locale.code, handbook=handbook)
            seconds = time.perf_counter() - started
            folder = SOURCES / name / locale.code
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "data.json").write_text(
                json.dumps(source.data, ensure_ascii=False), encoding="utf-8"
            )
            for file_name, path in source.files.items():
                (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, folder / file_name)
            (folder / "files.json").write_text(json.dumps(sorted(source.files)))
            manifest.setdefault(name, {})[locale.code] = round(seconds, 3)
    # Every locale built again, in a pass of its own so that the first builds run
    # exactly as before: what a worker rebuilding after a publish pays, with what
    # the process keeps between builds (drawn QR codes) in place.
    for handbook in handbooks:
        name = names.get(handbook.slug, "synthetic")
        for locale in settings.WEGWEISER_LOCALES:
            started = time.perf_counter()
            source = print_source(locale.code, handbook=handbook)
            repeats.setdefault(name, {})[locale.code] = round(
                time.perf_counter() - started, 3
            )
            json.dumps(source.data, ensure_ascii=False)  # as the first pass does
    (SOURCES / "data_seconds.json").write_text(json.dumps(manifest, indent=1))
    (SOURCES / "data_seconds_repeat.json").write_text(json.dumps(repeats, indent=1))


def _prepare() -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    print("[print] migrating a fresh SQLite database …", flush=True)
    _manage("migrate", "--noinput", "-v0")
    print("[print] loading the demo handbook …", flush=True)
    _manage("load_demo")
    print(f"[print] generating a synthetic handbook ({SYNTHETIC_PAGES} pages) …")
    _manage("generate_handbook", "--pages", str(SYNTHETIC_PAGES))
    print("[print] building the print data of 2 handbooks × 8 locales …", flush=True)
    _manage("shell", "-c", "from bench.print import export_sources; export_sources()")
    data_seconds: dict[str, dict[str, float]] = json.loads(
        (SOURCES / "data_seconds.json").read_text()
    )
    repeat_seconds: dict[str, dict[str, float]] = json.loads(
        (SOURCES / "data_seconds_repeat.json").read_text()
    )
    return data_seconds, repeat_seconds


# --- Step 2: renders in child processes ----------------------------------------------


def _render_typst(folder: Path) -> int:
    from exports.print.render import print_render

    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    names = json.loads((folder / "files.json").read_text())
    return print_render(data, files={n: folder / n for n in names}).page_count


def _render_weasyprint(folder: Path) -> int:
    import weasyprint

    from bench.print_html import handbook_html

    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    document = weasyprint.HTML(
        string=handbook_html(data), base_url=str(folder)
    ).render()
    document.write_pdf()
    return len(document.pages)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Typst compiles in
    a child process of its own, exports/print/render.py)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def child(engine: str, folders: list[str]) -> None:
    """Render ``folders`` one after another; print seconds and pages as JSON."""
    render = _render_typst if engine == "typst" else _render_weasyprint
    # Imports are not render time: a worker has them loaded already.
    if engine == "weasyprint":
        import weasyprint  # noqa: F401

        import bench.print_html  # noqa: F401
    else:
        import exports.print.render  # noqa: F401
    pages = 0
    started, cpu_started = time.perf_counter(), _cpu()
    for folder in folders:
        pages += render(Path(folder))
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "pages": pages}))


def _measure(engine: str, folders: list[Path]) -> dict[str, Any]:
    """One child process; its render time, pages and peak memory."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.print", engine, *map(str, folders)],
        cwd=REPO,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{engine} failed on {folders}")
    result = json.loads(out)
    return {
        "seconds": round(result["seconds"], 3),
        # CPU time of the render, all threads: steadier than wall time when
        # other work shares the machine.
        "cpu_seconds": round(result["cpu_seconds"], 3),
        "pages": result["pages"],
        # Linux: KiB, the largest of the child and its own children.
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def _best(engine: str, folders: list[Path], repeat: int) -> dict[str, Any]:
    runs = [_measure(engine, folders) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


def _speedups(typst_run: dict[str, Any], weasy_run: dict[str, Any]) -> dict[str, Any]:
    """How many times faster Typst is: in wall time and in CPU time."""
    return {
        "speedup": round(weasy_run["seconds"] / typst_run["seconds"], 1),
        "speedup_cpu": round(weasy_run["cpu_seconds"] / typst_run["cpu_seconds"], 1),
    }


def run() -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    data_seconds, repeat_seconds = _prepare()
    handbooks: dict[str, Any] = {}
    for name in ("demo", "synthetic"):
        locales = sorted(p.name for p in (SOURCES / name).iterdir() if p.is_dir())
        per_locale: dict[str, Any] = {}
        for code in locales:
            folder = SOURCES / name / code
            typst_run = _best("typst", [folder], REPEAT)
            weasy_run = _best("weasyprint", [folder], REPEAT)
            per_locale[code] = {
                "data_seconds": data_seconds[name][code],
                "data_seconds_repeat": repeat_seconds[name][code],
                "typst": typst_run,
                "weasyprint": weasy_run,
                **_speedups(typst_run, weasy_run),
            }
            print(
                f"[print] {name:9} {code:8} typst {typst_run['seconds']:6.2f} s "
                f"{typst_run['pages']:4d} pp | weasyprint "
                f"{weasy_run['seconds']:6.2f} s {weasy_run['pages']:4d} pp",
                flush=True,
            )
        folders = [SOURCES / name / code for code in locales]
        typst_all = _measure("typst", folders)
        weasy_all = _measure("weasyprint", folders)
        handbooks[name] = {
            "per_locale": per_locale,
            "all_locales": {
                "data_seconds": round(sum(data_seconds[name].values()), 3),
                "data_seconds_repeat": round(sum(repeat_seconds[name].values()), 3),
                "typst": typst_all,
                "weasyprint": weasy_all,
                **_speedups(typst_all, weasy_all),
            },
        }
    synthetic_de = handbooks["synthetic"]["per_locale"]["de"]
    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before},
        "typst_best_of": REPEAT,
        "synthetic_pages_below_root": SYNTHETIC_PAGES,
        "handbooks": handbooks,
        "targets": {
            "speedup_vs_weasyprint_min": min(
                h["per_locale"][c]["speedup"]
                for h in handbooks.values()
                for c in h["per_locale"]
            ),
            "speedup_cpu_min": min(
                h["per_locale"][c]["speedup_cpu"]
                for h in handbooks.values()
                for c in h["per_locale"]
            ),
            "speedup_target": 10,
            "synthetic_de_pages": synthetic_de["typst"]["pages"],
            "synthetic_de_typst_seconds": synthetic_de["typst"]["seconds"],
            "synthetic_de_typst_cpu_seconds": synthetic_de["typst"]["cpu_seconds"],
            "seconds_target_200_pages": 2.0,
        },
    }
    _table(result)
    return result


def _table(result: dict[str, Any]) -> None:
    print()
    print(
        f"{'handbook':10} {'locale':8} {'pages':>5} {'data s':>7} {'again':>6} "
        f"{'typst s':>8} "
        f"{'cpu s':>6} {'MB':>5} {'weasy s':>8} {'cpu s':>6} {'MB':>5} {'×':>6}"
    )
    for name, handbook in result["handbooks"].items():
        rows = [*handbook["per_locale"].items(), ("all", handbook["all_locales"])]
        for code, row in rows:
            print(
                f"{name:10} {code:8} {row['typst']['pages']:5d} "
                f"{row['data_seconds']:7.2f} {row['data_seconds_repeat']:6.2f} "
                f"{row['typst']['seconds']:8.2f} "
                f"{row['typst']['cpu_seconds']:6.2f} "
                f"{row['typst']['peak_rss_mb']:5.0f} "
                f"{row['weasyprint']['seconds']:8.2f} "
                f"{row['weasyprint']['cpu_seconds']:6.2f} "
                f"{row['weasyprint']['peak_rss_mb']:5.0f} {row['speedup']:6.1f}"
            )
    t = result["targets"]
    print(
        f"\nTypst is at least {t['speedup_vs_weasyprint_min']}× faster than "
        f"WeasyPrint in wall time, {t['speedup_cpu_min']}× in CPU time (target ≥ "
        f"{t['speedup_target']}×); the synthetic handbook "
        f"({t['synthetic_de_pages']} pages, de) renders in "
        f"{t['synthetic_de_typst_seconds']} s, {t['synthetic_de_typst_cpu_seconds']} s "
        "CPU (target < 2 s)."
    )


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2:])
