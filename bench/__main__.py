"""Run the benchmark parts named on the command line, or all of them."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

from bench import PartUnavailable

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = ["api", "audio", "epub", "pipeline", "print", "simple", "tree"]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    wanted = argv or PARTS
    unknown = [p for p in wanted if p not in PARTS]
    if unknown:
        print(f"unknown bench part(s) {unknown}; known: {', '.join(PARTS)}")
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    unavailable = []
    for part in wanted:
        try:
            module = importlib.import_module(f"bench.{part}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{part}":
                raise
            print(f"[{part}] not built yet, skipped")
            continue
        started = time.perf_counter()
        try:
            result = module.run()
        except PartUnavailable as exc:
            print(f"[{part}] not measured: {exc}", file=sys.stderr)
            unavailable.append(part)
            continue
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        out = RESULTS / f"{part}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"[{part}] results written to {out.relative_to(Path.cwd())}")
    if unavailable:
        print(f"not measured: {', '.join(unavailable)} (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
