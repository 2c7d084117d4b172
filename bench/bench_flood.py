"""3. Flood: a sandbox process generating 2,000 events/s into the console for 60 s.

- keeps up: after the flood, every event handed out is in the console's journal, and the
  sandbox queue drains (its depth is sampled every second during the flood);
- key press to repaint: `p` is sent with `tmux send-keys` and the status row is polled until
  PAUSED appears (and, on the next `p`, disappears); p95 over all presses;
- RSS growth of the console process from the start to the end of the flood."""

from __future__ import annotations

import random
import time
from typing import Any

from console_run import ConsoleRun
from harness import Series, cpu_seconds, percentile, rss_mb
from sandbox_proc import SandboxProcess
from tmux_term import TmuxServer

RATE = 2000.0


def _press_pause(run: ConsoleRun, want_paused: bool) -> float:
    """Milliseconds from sending `p` to the status row showing the new state."""
    sent = time.perf_counter()
    run.pane.send("p")
    seen, _ = run.pane.wait_for(
        lambda s: ("PAUSED" in (s.splitlines() or [""])[0]) == want_paused, 10, "the repaint"
    )
    return (seen - sent) * 1000


def flood_once(server: TmuxServer, duration: float) -> dict[str, Any]:
    rng = random.Random(5)
    with SandboxProcess(rate=0) as sandbox:
        run = ConsoleRun(server, sandbox)
        try:
            rss_start = rss_mb(run.pid)
            cpu_start = {"console": cpu_seconds(run.pid), "sandbox": cpu_seconds(sandbox.pid)}
            sandbox.set_rate(RATE)
            began = time.perf_counter()
            latencies: list[float] = []
            depths: list[int] = []
            paused = False
            next_sample = began
            while time.perf_counter() - began < duration:
                now = time.perf_counter()
                if now >= next_sample:
                    depths.append(int(sandbox.stats()["queued"]))
                    next_sample = now + 1.0
                paused = not paused
                latencies.append(_press_pause(run, paused))
                time.sleep(rng.uniform(0.2, 0.5))
            if paused:
                latencies.append(_press_pause(run, False))
            sandbox.set_rate(0)
            flood_seconds = time.perf_counter() - began
            cpu_end = {"console": cpu_seconds(run.pid), "sandbox": cpu_seconds(sandbox.pid)}
            rss_end = rss_mb(run.pid)
            stopped = time.perf_counter()
            deadline = stopped + 60
            while sandbox.stats()["queued"] and time.perf_counter() < deadline:
                time.sleep(0.1)
            drained_after = time.perf_counter() - stopped
            stats = sandbox.stats()
            handed_out = int(stats["handedOut"])
            journal = None
            for _ in range(50):  # the last batch may still be committing
                journal = run.journal_count()
                if journal is None or journal >= handed_out:
                    break
                time.sleep(0.1)
        finally:
            run.close()
    return {
        "generated": int(stats["generated"]),
        "handed_out": handed_out,
        "journal": journal,
        "max_queue_depth": max(depths or [0]),
        "drained_after_s": drained_after,
        "latencies_ms": latencies,
        "rss_start_mb": rss_start,
        "rss_growth_mb": rss_end - rss_start,
        "console_cpu_pct": 100 * (cpu_end["console"] - cpu_start["console"]) / flood_seconds,
        "sandbox_cpu_pct": 100 * (cpu_end["sandbox"] - cpu_start["sandbox"]) / flood_seconds,
        "rate_achieved": int(stats["generated"]) / flood_seconds,
    }


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    duration = 10.0 if quick else 60.0
    runs = runs or (1 if quick else 5)
    p95 = Series("ms")
    growth = Series("MB")
    depth = Series("events")
    drained = Series("s")
    cpu = Series("% of a core")
    sandbox_cpu = Series("% of a core")
    rate = Series("events/s")
    all_latencies: list[float] = []
    keeps_up = True
    journal_missing = False
    counts = []
    for _ in range(runs):
        one = flood_once(server, duration)
        lat = one["latencies_ms"]
        all_latencies += lat
        p95.add(percentile(lat, 95))
        growth.add(one["rss_growth_mb"])
        depth.add(one["max_queue_depth"])
        drained.add(one["drained_after_s"])
        cpu.add(one["console_cpu_pct"])
        sandbox_cpu.add(one["sandbox_cpu_pct"])
        rate.add(one["rate_achieved"])
        counts.append({k: one[k] for k in ("generated", "handed_out", "journal")})
        if one["journal"] is None:
            journal_missing = True
        elif one["journal"] != one["handed_out"]:
            keeps_up = False
        if one["handed_out"] != one["generated"]:
            keeps_up = False
    worst_p95 = max(p95.values)
    worst_growth = max(growth.values)
    return {
        "duration_s": duration,
        "counts": counts,
        "metrics": {
            "key_to_repaint_p95": p95.summary(),
            "key_to_repaint_all_p50": Series("ms", [percentile(all_latencies, 50)]).summary(),
            "key_to_repaint_all_max": Series("ms", [max(all_latencies)]).summary(),
            "rss_growth": growth.summary(),
            "max_queue_depth": depth.summary(),
            "drained_after_flood": drained.summary(),
            "console_cpu": cpu.summary(),
            "sandbox_cpu": sandbox_cpu.summary(),
            "sandbox_rate": rate.summary(),
        },
        "budgets": [
            {
                "what": "keeps up (journal = handed out = generated)",
                "limit": "equal",
                "value": "no journal" if journal_missing else keeps_up,
                "met": None if journal_missing and keeps_up else keeps_up,
            },
            {
                "what": "key to repaint p95 (worst run)",
                "limit": "<= 100 ms",
                "value": round(worst_p95, 1),
                "met": worst_p95 <= 100,
            },
            {
                "what": "RSS growth (worst run)",
                "limit": "<= 50 MB",
                "value": round(worst_growth, 1),
                "met": worst_growth <= 50,
            },
        ],
    }
