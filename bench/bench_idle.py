"""2. Idle CPU: the console at 0 events/s polling every 2 s, vs the minimal app, side by side.

CPU is utime+stime of the real process (all threads) from /proc over the window, after both
have been on screen for a settling period. The console talks to a sandbox process at rate 0
(the demo's in-process sandbox is not what runs on a support engineer's laptop), with the
default poll interval of 2 s."""

from __future__ import annotations

import time
from typing import Any

from console_run import ConsoleRun
from harness import Series, UserDirs, cpu_seconds, minimal_argv
from sandbox_proc import SandboxProcess
from tmux_term import TmuxServer

SETTLE = 3.0


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    window = 6.0 if quick else 60.0
    runs = runs or (1 if quick else 5)
    console = Series("% of a core")
    minimal = Series("% of a core")
    sandbox_cpu = Series("% of a core")
    with SandboxProcess(rate=0) as sandbox:
        for _ in range(runs):
            dirs = UserDirs()
            base = server.start(minimal_argv(), dirs.env)
            base.wait_for(lambda s: "ready" in s, 30, "the minimal app")
            ours = ConsoleRun(server, sandbox)
            time.sleep(SETTLE)
            pids = {"console": ours.pid, "minimal": base.pid, "sandbox": sandbox.pid}
            before = {k: cpu_seconds(p) for k, p in pids.items()}
            began = time.perf_counter()
            time.sleep(window)
            elapsed = time.perf_counter() - began
            after = {k: cpu_seconds(p) for k, p in pids.items()}
            use = {k: 100 * (after[k] - before[k]) / elapsed for k in pids}
            console.add(use["console"])
            minimal.add(use["minimal"])
            sandbox_cpu.add(use["sandbox"])
            ours.close()
            base.close()
            dirs.cleanup()
    c, m = console.summary()["median"], minimal.summary()["median"]
    ratio = c / m if m else float("inf")
    return {
        "window_s": window,
        "metrics": {
            "console_cpu": console.summary(),
            "minimal_cpu": minimal.summary(),
            "sandbox_cpu": sandbox_cpu.summary(),
        },
        "ratio": ratio,
        "budgets": [
            {"what": "console idle CPU", "limit": "<= 2%", "value": round(c, 3), "met": c <= 2},
            {
                "what": "idle CPU vs minimal app",
                "limit": "<= 2x",
                "value": round(ratio, 2),
                "met": ratio <= 2,
            },
        ],
    }
