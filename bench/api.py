"""API part of `make bench`: our delivery API against stock Wagtail API v2.

On a synthetic handbook of 2,000 pages × 8 locales in PostgreSQL, one gunicorn
(2 workers, as on this machine's 2 cores) serves both APIs. A keep-alive client
with a few threads measures req/s and p50/p99 for: the v1 list, v1 detail (in
Arabic, with fallback resolution), v1 304 revalidation, and Wagtail's
/api/v2/pages/<id>/. SQL queries per request are counted in-process.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.manage import manage

REPO = Path(__file__).resolve().parent.parent
PAGES = int(os.environ.get("BENCH_API_PAGES", "2000"))
SECONDS = float(os.environ.get("BENCH_API_SECONDS", "8"))
THREADS = int(os.environ.get("BENCH_API_THREADS", "4"))
DATABASE_URL = os.environ.get(
    "BENCH_API_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/wegweiser_bench_api",
)


class BenchError(RuntimeError):
    """The bench measured something other than what it claims to measure."""


def _env() -> dict[str, str]:
    # With REDIS_URL set, bodies are cached in Redis as in production (shared by
    # both gunicorn workers); without it, per process.
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
        "DATABASE_URL": DATABASE_URL,
        "VAR_DIR": str(REPO / "var" / "bench-api"),
    }


def _manage(*args: str) -> str:
    return manage(*args, env=_env())


def _prepare_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    _manage("migrate", "--noinput", "-v0")
    print(_manage("generate_handbook", "--pages", str(PAGES)).strip())
    # Generated handbooks are siblings under the tree root, as in the demo; Wagtail
    # API v2 serves only pages below the request's Site root (the default Site
    # after `migrate` is rooted at the welcome page), so root the Site as the demo
    # loader does. Without this, /api/v2/pages/<id>/ answers 404 for every page.
    _manage(
        "shell",
        "-c",
        "from cms.services import site_ensure_tree_root; site_ensure_tree_root()",
    )
    # Bodies cached by an earlier run must not make the first pass look warm.
    _manage("shell", "-c", "from django.core.cache import cache; cache.clear()")
    # Bulk-inserted rows have no planner statistics until autovacuum runs; a
    # production database has them, so measure with them.
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _ids() -> dict[str, list[int]]:
    out = _manage(
        "shell",
        "-c",
        "from wagtail.models import Page;"
        "qs=Page.objects.filter(depth__gt=2).order_by('path');"
        "print(list(qs.filter(locale__language_code='de').values_list('id',flat=True)));"
        "print(list(qs.filter(locale__language_code='ar').values_list('id',flat=True)))",
    ).splitlines()
    return {"de": eval(out[-2]), "ar": eval(out[-1])}


def _queries_per_request(paths: dict[str, tuple[str, str]]) -> dict[str, int]:
    """SQL queries of one request, in-process: name → (path, how), where how is
    "cached" (the body is in the cache), "built" (it is not) or "304"."""
    code = (
        "import json;from django.test import Client;"
        "from django.db import connection;"
        "from django.test.utils import CaptureQueriesContext;"
        "from django.core.cache import cache;"
        "c=Client(HTTP_HOST='localhost');out={}\n"
        f"for name,(path,how) in {paths!r}.items():\n"
        "    etag=c.get(path).get('ETag','')\n"
        "    if how=='built': cache.clear()\n"
        "    h={'If-None-Match':etag} if how=='304' else {}\n"
        "    with CaptureQueriesContext(connection) as q: c.get(path,headers=h)\n"
        "    out[name]=len(q)\n"
        "print(json.dumps(out))"
    )
    import json

    return json.loads(_manage("shell", "-c", code).splitlines()[-1])


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each process still running (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


class _Server:
    """A running gunicorn, and what its requests cost in CPU.

    Client and server share this machine's 2 cores, so req/s also moves with the
    client's own cost and with anyone else's work. CPU seconds spent by the
    gunicorn workers and by the PostgreSQL backends serving them, per request,
    do not: they are what a request costs the server.
    """

    def __init__(self, port: int, pid: int) -> None:
        self.port = port
        self.pid = pid

    def _cpu_by_process(self, conn: Any) -> dict[int, float]:
        backends = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [DATABASE_URL.rsplit("/", 1)[1]],
            )
        ]
        return _cpu_seconds([*_children(self.pid), *backends])

    @contextlib.contextmanager
    def cpu_meter(self) -> Iterator[list[float]]:
        """CPU seconds the server spends inside the block (appended on exit).

        Sampled every 0.2 s per process: a worker closes its database connection
        after CONN_MAX_AGE and opens a new one, and a backend's time must not
        vanish with it.
        """
        import psycopg

        spent: list[float] = []
        done = threading.Event()
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            start = self._cpu_by_process(conn)
            last = dict(start)

            def sample() -> None:
                while not done.wait(0.2):
                    last.update(self._cpu_by_process(conn))

            sampler = threading.Thread(target=sample)
            sampler.start()
            try:
                yield spent
            finally:
                done.set()
                sampler.join()
                last.update(self._cpu_by_process(conn))
        spent.append(sum(t - start.get(pid, 0.0) for pid, t in last.items()))


def _get(sock: socket.socket, request: bytes) -> tuple[int, bool]:
    """Send one GET and read the whole answer: its status, and whether the
    connection stays open (gunicorn's sync workers, as in production, close it).

    A small client of our own: http.client cost the client more CPU per request
    than a 304 costs the server, and here both share the same two cores.
    """
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise BenchError("the server closed the connection")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.lower().split(b": ", 1) for line in lines[1:])
    if b"content-length" not in headers:
        raise BenchError(f"answer {status} without Content-Length: {headers}")
    remaining = int(headers[b"content-length"]) - len(body)
    while remaining > 0:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise BenchError("the server closed the connection mid-body")
        remaining -= len(chunk)
    return status, headers.get(b"connection", b"").lower() != b"close"


def _load(
    server: _Server,
    paths: list[str],
    *,
    expect: int,
    headers_for: Callable[[str], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Request ``paths`` round-robin from THREADS clients for SECONDS.

    Every answer must have status ``expect``: a scenario that measures errors
    (404s, 429s) measures nothing, so the bench stops with the first one.
    """
    requests = {}
    for path in paths:
        extra = headers_for(path) if headers_for else {}
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        requests[path] = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(offset: int) -> None:
        i = offset
        mine: list[float] = []
        codes: dict[int, int] = {}
        sock = None
        try:
            while time.perf_counter() < deadline:
                path = paths[i % len(paths)]
                i += THREADS
                started = time.perf_counter()
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", server.port), 30)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                status, keep_alive = _get(sock, requests[path])
                mine.append(time.perf_counter() - started)
                codes[status] = codes.get(status, 0) + 1
                if not keep_alive:
                    sock.close()
                    sock = None
        finally:
            if sock is not None:
                sock.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    with server.cpu_meter() as spent:
        started = time.perf_counter()
        deadline = started + SECONDS
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    cpu = spent[0]
    unexpected = {k: v for k, v in statuses.items() if k != expect}
    if unexpected or not latencies:
        raise BenchError(
            f"expected only {expect} from {paths[0]} …, got {unexpected or 'nothing'}"
            f" of {len(latencies)} responses"
        )
    latencies.sort()
    return {
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "server_cpu_ms": round(1000 * cpu / len(latencies), 3),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


@contextlib.contextmanager
def _server(**extra_env: str) -> Iterator[_Server]:
    """A gunicorn (2 sync workers, as this machine has 2 cores) on a free port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cms.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
            "--log-level", "warning",
        ],
        cwd=REPO, env={**_env(), **extra_env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise BenchError(f"gunicorn on port {port} did not come up in 30 s")
        yield _Server(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _warm(server: _Server, paths: list[str]) -> dict[str, str]:
    """GET each path once (renditions, body cache); every answer must be a 200.
    Returns each path's ETag."""
    etags: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for path in paths:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise BenchError(f"GET {path} answered {response.status}, not 200")
        etags[path] = response.getheader("ETag") or ""
    return etags


def run() -> dict:
    load_before = os.getloadavg()[0]  # others' work on the machine skews figures
    print(f"[api] building a synthetic handbook: {PAGES} pages × 8 locales …")
    _prepare_database()
    ids = _ids()
    # The same Arabic pages from both APIs: v1 resolves the locale (with
    # fallback), v2 serves the page version it is asked for.
    detail_v1 = [f"/api/v1/pages/{i}/?locale=ar" for i in ids["ar"]]
    detail_v2 = [f"/api/v2/pages/{i}/" for i in ids["ar"]]
    list_v1 = [
        f"/api/v1/recommendations/?locale=ar&limit=20&offset={n * 20}"
        for n in range(20)
    ]
    with _server() as server:
        # Warm both APIs the same way (renditions, the body cache): one pass each.
        etags = _warm(server, [*list_v1, *detail_v1, *detail_v2])
        scenarios = {
            "v1_list": _load(server, list_v1, expect=200),
            "v1_detail": _load(server, detail_v1, expect=200),
            "v1_revalidate_304": _load(
                server,
                detail_v1,
                expect=304,
                headers_for=lambda p: {"If-None-Match": etags[p]},
            ),
            "wagtail_v2_detail": _load(server, detail_v2, expect=200),
            # The floor under every scenario: the health check asks the database
            # one trivial question through the same middleware and gunicorn. No
            # request that must look anything up can cost less.
            "health_check": _load(server, ["/healthz"], expect=200),
        }
    # A detail whose body is built on every request, as after a publish or for a
    # locale and field set nobody asked for yet: the same server, no body cache.
    with _server(BENCH_API_BODY_CACHE="off") as server:
        _warm(server, detail_v1[:20])
        scenarios["v1_detail_built"] = _load(server, detail_v1, expect=200)
    queries = _queries_per_request(
        {
            "v1_list": (list_v1[0], "cached"),
            "v1_detail": (detail_v1[0], "cached"),
            "v1_revalidate_304": (detail_v1[0], "304"),
            "wagtail_v2_detail": (detail_v2[0], "cached"),
            "v1_detail_built": (detail_v1[0], "built"),
            "health_check": ("/healthz", "cached"),
        }
    )
    for name, q in queries.items():
        scenarios[name]["sql_queries"] = q
    rate = {name: s["req_per_s"] for name, s in scenarios.items()}
    cpu = {name: s["server_cpu_ms"] for name, s in scenarios.items()}

    def ratios(a: str, b: str) -> dict[str, float | None]:
        """How much better ``a`` does than ``b``: in req/s, and in server CPU."""
        return {
            "req_per_s": round(rate[a] / rate[b], 2),
            "server_cpu": round(cpu[b] / cpu[a], 2) if cpu[a] else None,
        }

    result = {
        "pages_per_locale": PAGES,
        "locales": 8,
        "server": "gunicorn, 2 sync workers",
        "body_cache": "redis" if os.environ.get("REDIS_URL") else "process memory",
        "client_threads": THREADS,
        "seconds_per_scenario": SECONDS,
        "load_average_before": round(load_before, 2),
        "scenarios": scenarios,
        # Targets: v1 detail ≥ 2× Wagtail API v2; a 304 ≥ 5× a full detail.
        "ratios": {
            "v1_detail_vs_wagtail_v2": ratios("v1_detail", "wagtail_v2_detail"),
            "v1_built_detail_vs_wagtail_v2": ratios(
                "v1_detail_built", "wagtail_v2_detail"
            ),
            "304_vs_built_detail": ratios("v1_revalidate_304", "v1_detail_built"),
            "304_vs_cached_detail": ratios("v1_revalidate_304", "v1_detail"),
            # The most any 304 could reach: a request that costs only the floor.
            "health_check_vs_built_detail": ratios("health_check", "v1_detail_built"),
        },
    }
    print(
        f"\n{'scenario':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms':>9}{'SQL':>6}"
    )
    for name, s in scenarios.items():
        print(
            f"{name:<22}{s['req_per_s']:>9}{s['p50_ms']:>9}{s['p99_ms']:>9}"
            f"{s['server_cpu_ms']:>9}{s.get('sql_queries', '-'):>6}"
        )
    print("(CPU ms: gunicorn workers + PostgreSQL backends, per request)\n")
    print(f"{'ratio':<34}{'by req/s':>10}{'by CPU':>10}")
    for name, r in result["ratios"].items():
        print(f"{name:<34}{r['req_per_s']:>9}×{r['server_cpu'] or '-':>9}×")
    return result
