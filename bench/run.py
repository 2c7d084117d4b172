"""Run the benchmarks of issue 5, print a table and write the results as JSON.

python bench/run.py [--quick] [--only NAME[,NAME]] [--runs N] [--out FILE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# bench/ is sys.path[0] when run as `python bench/run.py`.
from harness import BENCH, machine
from report import table
from tmux_term import TmuxServer

BENCHMARKS = ("ceiling", "startup", "idle", "flood", "longrun", "drain", "recordings")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="every benchmark, in under 2 min")
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, help="repetitions (default: 5 quick, more full)")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/<time>.json)")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.names = names
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = args.out or BENCH / "results" / f"{stamp}{'-quick' if args.quick else ''}.json"
    results: dict[str, Any] = {
        "command": " ".join(["python", "bench/run.py", *(argv or sys.argv[1:])]),
        "quick": args.quick,
        "started": stamp,
        "machine": machine(),
        "benchmarks": {},
    }
    server = TmuxServer()
    failed = False
    try:
        for name in args.names:
            module = importlib.import_module(f"bench_{name}")
            print(f"-- {name} ...", file=sys.stderr, flush=True)
            began = time.perf_counter()
            try:
                result = module.run(args.quick, server, args.runs)
            except Exception as error:  # a broken benchmark must not hide the others
                failed = True
                result = {"error": f"{type(error).__name__}: {error}"}
                traceback.print_exc()
            result["seconds"] = round(time.perf_counter() - began, 1)
            results["benchmarks"][name] = result
    finally:
        server.kill()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nresults: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
