"""In-process CPU cost of one API detail: built (no body cache), 304, Wagtail v2.

Not a `make bench` part: a profiling aid for the API's hot paths on whatever
database DATABASE_URL names (the demo handbook will do). Runs each scenario N
times through Django's test Client in this process and reports CPU ms per request
(``time.process_time``: this process only, not PostgreSQL's) and SQL queries per
request; ``--profile`` prints the top functions of the built detail by cumulative
time.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.api_profile --n 300 ar
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from collections.abc import Callable
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.bench")
    # Every detail body built, as in the bench's "built" scenario.
    os.environ.setdefault("BENCH_API_BODY_CACHE", "off")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("locales", nargs="*", default=["ar"])
    parser.add_argument("--n", type=int, default=300, help="requests per scenario")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many")
    parser.add_argument("--pages", type=int, default=100, help="at most this many")
    args = parser.parse_args()
    _setup()

    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    for locale in args.locales:
        _measure(client, locale, args)


def _measure(client: Any, locale: str, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    ids = list(
        Page.objects.filter(depth__gt=2, locale__language_code=locale)
        .order_by("path")
        .values_list("id", flat=True)[: args.pages]
    )
    # Pages both APIs serve (not a portrait without consent, a draft …);
    # warm: renditions, compiled statements, the connection.
    etags = {}
    v1, v2 = [], []
    for i in ids:
        response = client.get(f"/api/v1/pages/{i}/?locale={locale}")
        if response.status_code == 200 and (
            client.get(f"/api/v2/pages/{i}/").status_code == 200
        ):
            v1.append(f"/api/v1/pages/{i}/?locale={locale}")
            v2.append(f"/api/v2/pages/{i}/")
            etags[v1[-1]] = response["ETag"]

    def built(i: int) -> None:
        client.get(v1[i % len(v1)])

    def revalidated(i: int) -> None:
        path = v1[i % len(v1)]
        response = client.get(path, headers={"If-None-Match": etags[path]})
        assert response.status_code == 304

    def wagtail(i: int) -> None:
        client.get(v2[i % len(v2)])

    scenarios: dict[str, Callable[[int], None]] = {
        "v1_detail_built": built,
        "v1_revalidate_304": revalidated,
        "wagtail_v2_detail": wagtail,
    }
    cpu: dict[str, float] = {}
    print(f"\n{locale}: {len(v1)} pages, {args.n} requests per scenario")
    print(f"{'scenario':<22}{'CPU ms':>9}{'SQL':>7}")
    for name, request in scenarios.items():
        best = float("inf")
        for _ in range(args.rounds):
            started = time.process_time()
            for i in range(args.n):
                request(i)
            best = min(best, (time.process_time() - started) / args.n)
        with CaptureQueriesContext(connection) as queries:
            for i in range(len(v1)):
                request(i)
        cpu[name] = best * 1000
        print(f"{name:<22}{cpu[name]:>9.3f}{len(queries) / len(v1):>7.2f}")
    print(
        f"built vs v2: {cpu['wagtail_v2_detail'] / cpu['v1_detail_built']:.2f}×,"
        f" 304 vs built: {cpu['v1_detail_built'] / cpu['v1_revalidate_304']:.2f}×"
        " (by in-process CPU)"
    )
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for i in range(args.n):
            built(i)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
