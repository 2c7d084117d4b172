"""How the console looks: the main screen, help, and the small terminal, with fixed events and a
frozen clock (a sandbox without simulation; events injected)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp


def _ready(app: ClassroomApp, kit: Any) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await kit.panes_mounted(app, pilot)
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == len(kit.SCRIPT))
        await pilot.pause()

    return run_before


def test_main_screen(
    snap_compare: Any, sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    assert snap_compare(app, terminal_size=kit.SIZE, run_before=_ready(app, kit))


def test_main_screen_at_80x24_paused_and_filtered(
    snap_compare: Any, sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    ready = _ready(app, kit)

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        app.log_pane.set_filter("room:math")
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(
    snap_compare: Any, sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    app = make_app(sandbox.settings, keymap={"log.pause": "space"})

    async def run_before(pilot: Pilot[Any]) -> None:
        await kit.panes_mounted(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=kit.SIZE, run_before=run_before)
