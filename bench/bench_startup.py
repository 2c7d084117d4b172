"""1. Startup: process spawn to the first complete frame on a real terminal (tmux).

Both apps are started the same way, as a new tmux session on one private tmux server, and the
screen is polled until every marker of a complete first frame is on it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from harness import Series, UserDirs, console_argv, minimal_argv
from tmux_term import TmuxServer

CONSOLE_MARKERS = (" demo │", "Events", "Room controller", "Recordings", "Quit")
MINIMAL_MARKERS = ("minimal", "minimal app ready", "Quit")
# The panes' own widgets (a controller button, the recordings table's header), which the
# console mounts right after its first frame: reported too, so the split is visible.
PANES_READY_MARKERS = ("Start class", "record id")


def _has(markers: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda screen: all(m in screen for m in markers)


def _events_shown(screen: str) -> bool:
    return "Events · " in screen and "Events · 0 " not in screen


def _time_one(
    server: TmuxServer, argv: list[str], markers: tuple[str, ...]
) -> tuple[float, float, float]:
    dirs = UserDirs()
    try:
        started = time.perf_counter()
        pane = server.start(argv, dirs.env)
        seen, _ = pane.wait_for(_has(markers), 60, "the first complete frame")
        first_event = panes_ready = float("nan")
        if markers is CONSOLE_MARKERS:
            ready, _ = pane.wait_for(_has(PANES_READY_MARKERS), 30, "the panes' widgets")
            panes_ready = ready - started
            at, _ = pane.wait_for(_events_shown, 30, "the first event")
            first_event = at - started
        pane.close()
        return seen - started, first_event, panes_ready
    finally:
        dirs.cleanup()


def run(quick: bool, server: TmuxServer, runs: int | None = None) -> dict[str, Any]:
    runs = runs or (5 if quick else 9)
    console = Series("s")
    minimal = Series("s")
    first_event = Series("s")
    panes_ready = Series("s")
    # Warm-up of both (byte-code compilation, page cache), not counted.
    _time_one(server, console_argv("--demo"), CONSOLE_MARKERS)
    _time_one(server, minimal_argv(), MINIMAL_MARKERS)
    ratios = Series("x")
    for _ in range(runs):
        base, _unused, _none = _time_one(server, minimal_argv(), MINIMAL_MARKERS)
        ours, event, ready = _time_one(server, console_argv("--demo"), CONSOLE_MARKERS)
        minimal.add(base)
        console.add(ours)
        first_event.add(event)
        panes_ready.add(ready)
        ratios.add(ours / base)
    ratio = console.summary()["median"] / minimal.summary()["median"]
    return {
        "metrics": {
            "console_first_frame_s": console.summary(),
            "minimal_first_frame_s": minimal.summary(),
            "console_panes_ready_s": panes_ready.summary(),
            "console_first_event_s": first_event.summary(),
            "ratio_per_pair": ratios.summary(),
        },
        "ratio": ratio,
        "budgets": [
            {
                "what": "first frame vs minimal app",
                "limit": "<= 1.5x",
                "value": round(ratio, 2),
                "met": ratio <= 1.5,
            }
        ],
    }
