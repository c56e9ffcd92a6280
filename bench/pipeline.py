"""Pipeline part of `make bench`: publish-to-received latency and resync throughput.

On a synthetic handbook (2,000 pages × 8 locales by default) in PostgreSQL, with
Redis as the broker, a real Celery worker process (the production command, prefork
with 2 processes) and the reference receiver on 127.0.0.1:

- latency: a German chapter page is published N times, one publish at a time, the
  way the admin's Publish button does it; for each, the time from the commit to the
  receiver storing the German push, and to storing all 7 locales that read German;
- resync: `manage.py resync_website` pushes every public page in every locale,
  with 1 sender (what a plain sequential loop does) and with 4, in documents/s.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bench.manage import manage

REPO = Path(__file__).resolve().parent.parent
PAGES = int(os.environ.get("BENCH_PIPELINE_PAGES", "2000"))
PUBLISHES = int(os.environ.get("BENCH_PIPELINE_PUBLISHES", "40"))
DATABASE_URL = os.environ.get(
    "BENCH_PIPELINE_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/wegweiser_bench_pipeline",
)
REDIS_URL = os.environ.get("BENCH_PIPELINE_REDIS_URL", "redis://127.0.0.1:6379/11")
SECRET = "whsec_" + base64.b64encode(b"wegweiser-bench-webhook-secret!!").decode()
VAR = REPO / "var" / "bench-pipeline"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(receiver_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": str(VAR),
        "DEBUG": "false",
        "WEBSITE_WEBHOOK_URL": receiver_url,
        "WEBSITE_WEBHOOK_SECRET": SECRET,
        "WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "LOG_LEVEL": "WARNING",
        # This part measures the website channel alone: no print builds in the
        # worker (the print part of `make bench` measures those).
        "PRINT_LOCALES": "",
    }


def _manage(env: dict, *args: str) -> str:
    return manage(*args, env=env)


def _prepare(env: dict) -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    # Generation publishes nothing through signals; no endpoint is needed yet.
    quiet = {**env, "WEBSITE_WEBHOOK_URL": ""}
    _manage(quiet, "migrate", "--noinput", "-v0")
    print("[pipeline] " + _manage(quiet, "generate_handbook", "--pages", str(PAGES)))
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("ANALYZE")
    subprocess.run(
        ["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True
    )


def _received(store: Path) -> list[tuple[str, str, int, str]]:
    path = store / "received.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT translation_key, locale, sequence, received_at FROM messages"
        ).fetchall()


# Publishes one German chapter page PUBLISHES times and prints, per publish, the
# commit time and the newest content-event id (the pushes' sequence) as JSON lines.
PUBLISH_CODE = """
import json, time
from django.db import transaction
from cms.pages.models import ChapterPage
from exports.models import ContentEvent
page = ChapterPage.objects.filter(locale__language_code="de").order_by("path").first()
before = ContentEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
head = {{"key": str(page.translation_key), "before": before or 0}}
print(json.dumps(head), flush=True)
for n in range({publishes}):
    page.intro = f"<p>Fassung {{n}}</p>"
    with transaction.atomic():
        page.save_revision().publish()
    committed = time.time()
    newest = ContentEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    print(json.dumps({{"t": committed, "seq": newest}}), flush=True)
    time.sleep({gap})
"""


def _latency(env: dict, store: Path) -> dict:
    gap = 1.0  # one publish at a time, as an editor would
    out = _manage(
        env, "shell", "-c", PUBLISH_CODE.format(publishes=PUBLISHES, gap=gap)
    ).splitlines()
    lines = [json.loads(line) for line in out if line.startswith("{")]
    key = lines[0]["key"]
    publishes = lines[1:]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = [r for r in _received(store) if r[0] == key]
        if len({r[1] for r in rows if r[2] > publishes[-2]["seq"]}) >= 7:
            break
        time.sleep(0.5)
    rows = [r for r in _received(store) if r[0] == key]
    german, everywhere, lost = [], [], 0
    previous = lines[0]["before"]
    for publish in publishes:
        # A German publish writes its events (de, the 6 locales reading German,
        # and e.g. a Leichte Sprache version becoming outdated) after the one
        # before; the newest id is what this script printed.
        low, high = previous + 1, publish["seq"]
        previous = high
        mine = [r for r in rows if low <= r[2] <= high]
        times = {r[1]: datetime.fromisoformat(r[3]).timestamp() for r in mine}
        if len(times) < 7 or "de" not in times:
            lost += 1
            continue
        german.append(times["de"] - publish["t"])
        everywhere.append(max(times.values()) - publish["t"])

    def summary(values: list[float]) -> dict:
        values = sorted(values)
        return {
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)] * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1),
        }

    return {
        "publishes": len(publishes),
        "incomplete": lost,
        "german_push": summary(german),
        "all_7_locales": summary(everywhere),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _resync(env: dict, jobs: int, receiver_pid: int) -> dict:
    # CPU per document, beside the wall-clock rate: the rate depends on what else
    # the machine runs, the CPU a document costs each side does not.
    sender_cpu, receiver_cpu = _children_cpu(), _cpu_seconds(receiver_pid)
    started = time.perf_counter()
    out = _manage(env, "resync_website", "--jobs", str(jobs)).strip().splitlines()
    elapsed = time.perf_counter() - started
    sender_cpu = _children_cpu() - sender_cpu
    receiver_cpu = _cpu_seconds(receiver_pid) - receiver_cpu
    line = next(x for x in out if x.startswith("Resync"))
    documents = int(line.split(": ", 1)[1].split(" documents")[0])
    delivered = int(line.split("): ", 1)[1].split(" delivered")[0])
    return {
        "senders": jobs,
        "documents": documents,
        "delivered": delivered,
        "seconds": round(elapsed, 1),
        "documents_per_s": round(documents / elapsed, 1),
        # The sender's figure includes the command's start-up (about 2 s of CPU).
        "sender_cpu_ms_per_document": round(sender_cpu * 1000 / documents, 2),
        "receiver_cpu_ms_per_document": round(receiver_cpu * 1000 / documents, 2),
        "summary": line,
    }


def run() -> dict:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/webhooks/wegweiser"
    env = _env(url)
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"[pipeline] building a synthetic handbook: {PAGES} pages × 8 locales …")
    _prepare(env)
    store = VAR / "receiver"
    if store.exists():
        for file in store.iterdir():
            file.unlink()
    receiver = subprocess.Popen(
        [
            sys.executable, "manage.py", "webhook_receiver",
            "--port", str(port), "--store", str(store), "--secret", SECRET,
        ],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # The receiver goes when the part ends, whatever fails first.
    try:
        worker_log = (VAR / "worker.log").open("w")
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "--app=cms", "worker",
                "--loglevel=INFO", "--concurrency=2",
            ],
            cwd=REPO, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180  # a loaded machine starts it slowly
            while "ready." not in (VAR / "worker.log").read_text():
                if time.monotonic() > deadline:
                    raise RuntimeError("the Celery worker did not start")
                time.sleep(0.3)
            print(f"[pipeline] latency: {PUBLISHES} publishes, one per second …")
            latency = _latency(env, store)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        resync = []
        for jobs in (1, 4):
            print(f"[pipeline] resync with {jobs} sender(s) …")
            resync.append(_resync(env, jobs, receiver.pid))
    finally:
        receiver.terminate()
        receiver.wait(timeout=30)
    result = {
        "pages_per_locale": PAGES,
        "locales": 8,
        "broker": "Redis",
        "worker": "celery prefork, 2 processes",
        "latency": latency,
        "resync": resync,
    }
    print(f"\n{'publish → received':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name in ("german_push", "all_7_locales"):
        s = latency[name]
        print(f"{name:<28}{s['p50_ms']:>9}{s['p95_ms']:>9}{s['max_ms']:>9}")
    print(
        f"\n{'resync':<16}{'documents':>10}{'seconds':>9}{'docs/s':>9}"
        f"{'sender CPU ms/doc':>19}{'receiver CPU ms/doc':>21}"
    )
    for r in resync:
        label = f"{r['senders']} sender(s)"
        print(
            f"{label:<16}{r['documents']:>10}{r['seconds']:>9}{r['documents_per_s']:>9}"
            f"{r['sender_cpu_ms_per_document']:>19}"
            f"{r['receiver_cpu_ms_per_document']:>21}"
        )
    return result
