"""In-process CPU cost of one resync sender: claim, build, sign, POST, record.

Not a `make bench` part: a profiling aid for the website channel's sending path on
whatever database DATABASE_URL names (``generate_handbook --pages 300`` will do).
Starts the reference receiver as a child process, queues a resync of the given
locales the way ``resync_website`` does, and sends it from this process, one
batch after another (one sender, no threads). Reports CPU ms per document
(``time.process_time``: this process only, not PostgreSQL's), the best and the
median of the rounds, the receiver's CPU ms per document (its process, from
/proc), SQL queries (COPY is not counted) and Python function calls per
document; ``--profile`` prints the top functions by own time.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.resync_profile --rounds 3
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRET = "whsec_" + base64.b64encode(b"wegweiser-bench-webhook-secret!!").decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("locales", nargs="*", default=["de", "en", "ar"])
    parser.add_argument("--rounds", type=int, default=3, help="best of this many")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", help="write the profile here (pstats format)")
    args = parser.parse_args()

    port = _free_port()
    url = f"http://127.0.0.1:{port}/webhooks/wegweiser"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.update(
        WEBSITE_WEBHOOK_URL=url,
        WEBSITE_WEBHOOK_SECRET=SECRET,
        WEBSITE_WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        PRINT_LOCALES="",
    )
    store = tempfile.mkdtemp(prefix="resync-profile-")
    receiver = subprocess.Popen(
        [
            sys.executable, "manage.py", "webhook_receiver",
            "--port", str(port), "--store", store, "--secret", SECRET,
        ],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _measure(args, port, receiver.pid)
    finally:
        receiver.terminate()
        receiver.wait(timeout=30)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(args: argparse.Namespace, port: int, receiver_pid: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from cms.collector import collector_spares_loaded
    from exports.models import ContentEvent
    from exports.website.channel import website_channels
    from exports.website.endpoints import endpoints_for
    from exports.website.resync import RESYNC_BATCH, _resync_rows
    from exports.website.sending import website_deliveries_send

    deadline = time.monotonic() + 60
    while True:  # the receiver is up when it takes a connection
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

    channel = next(c for c in website_channels() if c.endpoints).website_config

    def queued() -> list[list[int]]:
        sequence = ContentEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        ids: list[int] = []
        with transaction.atomic():
            for endpoint in endpoints_for(channel):
                for code in args.locales:
                    ids += _resync_rows(endpoint, code, sequence)
        return [ids[i : i + RESYNC_BATCH] for i in range(0, len(ids), RESYNC_BATCH)]

    def send(batches: list[list[int]]) -> tuple[int, int]:
        with collector_spares_loaded():  # as website_resync sends
            outcomes = [
                result.outcome
                for batch in batches
                for result in website_deliveries_send(delivery_ids=batch)
            ]
        return len(outcomes), outcomes.count("delivered")

    send(queued())  # warm: connections, compiled statements, caches
    best = None
    senders: list[float] = []
    receivers: list[float] = []
    for _ in range(args.rounds):
        batches = queued()
        with CaptureQueriesContext(connection) as queries:
            receiver_cpu = _cpu_seconds(receiver_pid)
            cpu = time.process_time()
            documents, delivered = send(batches)
            cpu = time.process_time() - cpu
            # The receiver answers before it is done with a message: give it a
            # moment to finish the last one.
            time.sleep(0.2)
            receiver_cpu = _cpu_seconds(receiver_pid) - receiver_cpu
        per_doc = cpu * 1000 / documents
        senders.append(per_doc)
        receivers.append(receiver_cpu * 1000 / documents)
        if best is None or per_doc < best[0]:
            best = (per_doc, len(queries) / documents, documents, delivered)
    assert best is not None
    per_doc, queries_per_doc, documents, delivered = best
    print(
        f"{documents} documents ({delivered} delivered), locales {args.locales}: "
        f"{per_doc:.3f} ms CPU/document (best of {args.rounds}), "
        f"median {statistics.median(senders):.3f}; receiver "
        f"{statistics.median(receivers):.3f} ms CPU/document (median); "
        f"{queries_per_doc:.3f} queries/document"
    )
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
    batches = queued()
    profiler.enable()
    send(batches)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"{stats.total_calls / documents:.0f} function calls/document")  # type: ignore[attr-defined]
    if args.dump:
        stats.dump_stats(args.dump)
    if args.profile:
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
