"""6. Recordings: paging forward through 10,000 recordings of one room (100 pages of 100).

The room is loaded from the recordings pane (`3`, type the id, Enter); then `n` is sent with
tmux and the screen polled until the position line shows the next page number. Between pages
the bench waits a reading pause (a person reads a page for longer than this), which is when
the browser prefetches the following page."""

from __future__ import annotations

import random
import re
import time
from typing import Any

from console_run import ConsoleRun
from harness import Series, percentile
from sandbox_proc import SandboxProcess
from tmux_term import TmuxServer

ROOM = "bench-recordings"
RECORDS = 10_000
READING_PAUSE = (0.15, 0.3)
PANE_READY = "room id (Enter: load its recordings)"  # the recordings pane's empty room field


def _on_page(number: int) -> Any:
    pattern = re.compile(rf"\bpage {number} · records")
    return lambda screen: pattern.search(screen) is not None


def page_once(server: TmuxServer, pages: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    with SandboxProcess(rate=0) as sandbox:
        sandbox.add_room(ROOM, RECORDS)
        run = ConsoleRun(server, sandbox)
        try:
            # The panes mount after the console's first frames: "3" before then does nothing.
            run.pane.wait_for(lambda screen: PANE_READY in screen, 30, "the recordings pane")
            run.pane.send("3")
            time.sleep(0.3)
            run.pane.send_text(ROOM)
            run.pane.wait_for(lambda screen: ROOM in screen, 10, "the room id typed")
            run.pane.send("Enter")
            run.pane.wait_for(_on_page(1), 30, "page 1 of the recordings")
            latencies = []
            for number in range(2, pages + 1):
                time.sleep(rng.uniform(*READING_PAUSE))
                sent = time.perf_counter()
                run.pane.send("n")
                seen, _ = run.pane.wait_for(_on_page(number), 10, f"page {number}")
                latencies.append((seen - sent) * 1000)
            return latencies
        finally:
            run.close()


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    pages = 15 if quick else RECORDS // 100
    runs = runs or (1 if quick else 5)
    p50 = Series("ms")
    p95 = Series("ms")
    worst = Series("ms")
    everything: list[float] = []
    for index in range(runs):
        latencies = page_once(server, pages, index)
        everything += latencies
        p50.add(percentile(latencies, 50))
        p95.add(percentile(latencies, 95))
        worst.add(max(latencies))
    over = sum(1 for x in everything if x > 50)
    return {
        "pages": pages,
        "metrics": {
            "next_page_p50": p50.summary(),
            "next_page_p95": p95.summary(),
            "next_page_max": worst.summary(),
        },
        "pages_over_50ms": f"{over} of {len(everything)}",
        "budgets": [
            {
                "what": "next page on screen, every page",
                "limit": "<= 50 ms",
                "value": round(max(everything), 1),
                "met": max(everything) <= 50,
            },
            {
                "what": "next page on screen, p95 (worst run)",
                "limit": "<= 50 ms",
                "value": round(max(p95.values), 1),
                "met": max(p95.values) <= 50,
            },
        ],
    }
