"""5. Headless drain: `classroom-tui events --json > /dev/null` (journal on) over 200,000
queued events, vs plain_loop.py against the same sandbox process, same batch size (100).
The two alternate, each run on a freshly flooded queue; wall time from spawn to exit."""

from __future__ import annotations

import subprocess
import time
from typing import Any

from harness import REPO, Series, UserDirs, console_argv
from sandbox_proc import APP_ID, TOKEN, UID, SandboxProcess
from tmux_term import TmuxServer


def _drain(sandbox: SandboxProcess, argv: list[str], env: dict[str, str], count: int) -> float:
    start_handed = int(sandbox.stats()["handedOut"])
    sandbox.flood(count)
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:3]} exited {done.returncode}: {done.stderr[-500:]!r}")
    drained = int(sandbox.stats()["handedOut"]) - start_handed
    if drained != count:
        raise RuntimeError(f"{argv[:3]} drained {drained} of {count} events")
    return count / elapsed


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    count = 10_000 if quick else 200_000
    runs = runs or 5
    ours = Series("events/s")
    loop = Series("events/s")
    ratios = Series("x")
    journal_rows = []
    with SandboxProcess(rate=0) as sandbox:
        loop_argv = ["python", str(REPO / "bench" / "plain_loop.py"), sandbox.base_url]
        loop_argv += [APP_ID, UID, TOKEN]
        for index in range(runs):
            dirs = UserDirs()
            env = {**dirs.env, **sandbox.client_env()}
            pair = [("loop", loop_argv), ("events", console_argv("events", "--json"))]
            if index % 2:
                pair.reverse()
            rates = {name: _drain(sandbox, argv, env, count) for name, argv in pair}
            files = list(dirs.data_home.rglob("*.sqlite3"))
            journal_rows.append(len(files))
            dirs.cleanup()
            ours.add(rates["events"])
            loop.add(rates["loop"])
            ratios.add(rates["events"] / rates["loop"])
    ratio = ours.summary()["median"] / loop.summary()["median"]
    return {
        "events": count,
        "journal_files_written": journal_rows,
        "metrics": {
            "events_json_rate": ours.summary(),
            "plain_loop_rate": loop.summary(),
            "ratio_per_pair": ratios.summary(),
        },
        "ratio": ratio,
        "budgets": [
            {
                "what": "events --json vs plain loop",
                "limit": ">= 0.7x",
                "value": round(ratio, 2),
                "met": ratio >= 0.7,
            }
        ],
    }
