"""4. Long run: 1,000,000 events through the console; RSS of the console process at the end.

Events are queued with `/_sandbox/flood` in chunks (the sandbox caps its queue at 500,000),
topped up whenever fewer than one chunk is waiting, until the total is generated and every
event has been handed out to the console."""

from __future__ import annotations

import time
from typing import Any

from console_run import ConsoleRun
from harness import Series, cpu_seconds, rss_mb
from sandbox_proc import SandboxProcess
from tmux_term import TmuxServer

CHUNK = 100_000


def longrun_once(server: TmuxServer, total: int) -> dict[str, Any]:
    chunk = min(CHUNK, total)
    with SandboxProcess(rate=0) as sandbox:
        run = ConsoleRun(server, sandbox)
        try:
            rss_start = rss_mb(run.pid)
            cpu_start = cpu_seconds(run.pid)
            began = time.perf_counter()
            generated = 0
            samples: list[tuple[float, int, float]] = []
            deadline = began + max(600, total / 500)
            while time.perf_counter() < deadline:
                stats = sandbox.stats()
                queued, handed = int(stats["queued"]), int(stats["handedOut"])
                samples.append((time.perf_counter() - began, handed, rss_mb(run.pid)))
                if generated < total and queued < chunk:
                    generated += sandbox.flood(min(chunk, total - generated))
                    continue
                if generated >= total and handed >= total:
                    break
                time.sleep(1.0)
            elapsed = time.perf_counter() - began
            cpu = cpu_seconds(run.pid) - cpu_start
            time.sleep(2.0)  # let the last batches reach the screen and the journal
            rss_end = rss_mb(run.pid)
            handed_out = int(sandbox.stats()["handedOut"])
            journal = run.journal_count()
        finally:
            run.close()
    return {
        "events": handed_out,
        "journal": journal,
        "seconds": elapsed,
        "events_per_s": handed_out / elapsed,
        "console_cpu_pct": 100 * cpu / elapsed,
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_end,
        "rss_peak_mb": max(s[2] for s in samples),
        "rss_samples": [
            (round(t, 1), n, round(r, 1)) for t, n, r in samples[:: max(1, len(samples) // 20)]
        ],
    }


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    total = 40_000 if quick else 1_000_000
    runs = runs or 1
    end = Series("MB")
    peak = Series("MB")
    rate = Series("events/s")
    cpu = Series("% of a core")
    details = []
    for _ in range(runs):
        one = longrun_once(server, total)
        end.add(one["rss_end_mb"])
        peak.add(one["rss_peak_mb"])
        rate.add(one["events_per_s"])
        cpu.add(one["console_cpu_pct"])
        details.append(one)
    worst = max(end.values)
    return {
        "events": total,
        "details": details,
        "metrics": {
            "rss_end": end.summary(),
            "rss_peak": peak.summary(),
            "throughput": rate.summary(),
            "console_cpu": cpu.summary(),
        },
        "budgets": [
            {
                "what": f"RSS after {total:,} events",
                "limit": "<= 200 MB",
                "value": round(worst, 1),
                "met": worst <= 200,
            }
        ],
    }
