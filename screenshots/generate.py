"""Make the README's screenshots from the demo: `python screenshots/generate.py`.

A sandbox with a fixed seed and a frozen clock, its simulated classes stepped a fixed number of
events (no timer), so the pictures only change when the console does."""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from classroom_tui.sandbox import SandboxConfig, SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.poller import Backoff

OUT = Path(__file__).resolve().parent
SIZE = (120, 36)
SEED = 7
EVENTS = 40
FROZEN = datetime(2026, 3, 2, 9, 30, 15)
FROZEN_EPOCH = FROZEN.timestamp()

Scene = Callable[[ClassroomApp, Pilot[Any]], Awaitable[None]]


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError("the console did not get ready in time")
        await pilot.pause(0.05)


async def main_screen(app: ClassroomApp, pilot: Pilot[Any]) -> None:
    await wait_for(pilot, lambda: len(app.log_pane.buffer.rows) >= EVENTS)


async def recordings_page_2(app: ClassroomApp, pilot: Pilot[Any]) -> None:
    await main_screen(app, pilot)
    from classroom_tui.ui.widgets.recordings import RecordingsBrowser

    browser = app.query_one(RecordingsBrowser)
    await pilot.press("3")
    await pilot.press(*"biology archive", "enter")
    await wait_for(pilot, lambda: "page 1" in _position(app))
    browser.action_next_page()
    await wait_for(pilot, lambda: "page 2" in _position(app))


def _position(app: ClassroomApp) -> str:
    return str(app.query_one("#recordings-position").render())


async def help_screen(app: ClassroomApp, pilot: Pilot[Any]) -> None:
    await main_screen(app, pilot)
    await pilot.press("question_mark")


async def login_screen(app: ClassroomApp, pilot: Pilot[Any]) -> None:
    await wait_for(pilot, lambda: type(app.screen).__name__ == "LoginScreen")


async def shoot(name: str, scene: Scene, connected: bool = True) -> Path:
    config = SandboxConfig(seed=SEED, rate=0, clock=lambda: FROZEN_EPOCH)
    # A fresh journal each time: no history from earlier runs in the pictures.
    with SandboxServer(config) as server, tempfile.TemporaryDirectory() as journal_dir:
        server.app.simulation.generate(EVENTS)
        app = ClassroomApp(
            server.settings if connected else None,
            journal_dir=Path(journal_dir),
            profile_name="demo" if connected else "",
            now=lambda: FROZEN,
            monotonic=lambda: 1000.0,
            poll_interval=0.5,
            backoff=Backoff(rng=random.Random(SEED)),
        )
        async with app.run_test(size=SIZE) as pilot:
            # The controller and the recordings browser mount just after the first frame.
            await asyncio.wait_for(app.panes_mounted.wait(), 10)
            await scene(app, pilot)
            await pilot.pause(0.3)
            path = OUT / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(OUT))
    return path


async def run() -> None:
    for name, scene, connected in (
        ("main", main_screen, True),
        ("recordings", recordings_page_2, True),
        ("help", help_screen, True),
        ("login", login_screen, False),
    ):
        path = await shoot(name, scene, connected)
        print(f"wrote {path.relative_to(OUT.parent)}")


if __name__ == "__main__":
    asyncio.run(run())
    sys.exit(0)
