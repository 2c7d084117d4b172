"""The sandbox's own ceiling, so that it is clearly not what limits 3 and 5:
- hand-out: a bare httpx loop (no output) drains flooded events from the sandbox process;
- generation: the rate loop at 2,000/s and at 20,000/s, events generated per second;
- flood: how fast `/_sandbox/flood` queues events."""

from __future__ import annotations

import time
from typing import Any

import httpx
from harness import Series
from sandbox_proc import APP_ID, HEADERS, SandboxProcess
from tmux_term import TmuxServer


def _bare_drain(base_url: str) -> int:
    path = f"/edu/polling/apps/{APP_ID}/v2/rooms/sequences"
    total = 0
    with httpx.Client(base_url=base_url, headers=HEADERS, timeout=30) as http:
        while True:
            count = len(http.get(path).json()["data"])
            if not count:
                return total
            total += count


def _generation(sandbox: SandboxProcess, rate: float, seconds: float) -> float:
    before = int(sandbox.stats()["generated"])
    sandbox.set_rate(rate)
    began = time.perf_counter()
    time.sleep(seconds)
    sandbox.set_rate(0)
    elapsed = time.perf_counter() - began
    made = int(sandbox.stats()["generated"]) - before
    _bare_drain(sandbox.base_url)
    return made / elapsed


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    count = 20_000 if quick else 200_000
    seconds = 1.5 if quick else 5.0
    runs = runs or (3 if quick else 5)
    handout = Series("events/s")
    flood = Series("events/s")
    gen_2k = Series("events/s")
    gen_20k = Series("events/s")
    with SandboxProcess(rate=0) as sandbox:
        for _ in range(runs):
            began = time.perf_counter()
            sandbox.flood(count)
            flood.add(count / (time.perf_counter() - began))
            began = time.perf_counter()
            drained = _bare_drain(sandbox.base_url)
            handout.add(drained / (time.perf_counter() - began))
        for _ in range(1 if quick else 3):
            gen_2k.add(_generation(sandbox, 2000, seconds))
            gen_20k.add(_generation(sandbox, 20000, seconds))
    return {
        "metrics": {
            "hand_out_bare_loop": handout.summary(),
            "flood_queueing": flood.summary(),
            "generation_at_2000": gen_2k.summary(),
            "generation_at_20000": gen_20k.summary(),
        },
        "budgets": [],
    }
