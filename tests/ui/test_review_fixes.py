"""Fixes from driving the console as a new user: markup-like text shown literally, the help
screen, keys typed right after `/` or `f`, login without a keyring, copy, the room field."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.widgets import Static

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.filter import SEARCH_HELP, FilterScreen
from classroom_tui.ui.screens.help import HelpScreen, help_renderable

SIZE = (120, 36)
HOSTILE_ROOM = "chem [A] 50%"
HOSTILE_USER = "Evil[/]Name [b]x"


def burst(app: ClassroomApp, keys: list[str]) -> None:
    """Every key posted at once, as one read from the terminal delivers them."""
    for key in keys:
        character = {"slash": "/", "enter": "\r"}.get(key, key)
        app.post_message(events.Key({":": "colon"}.get(key, key), character))


def shown(widget: Any) -> str:
    return str(widget.render())


# -- 3: keys typed right after the prompt opens ---------------------------------------------


async def test_filter_typed_without_pause_is_applied(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("/", *"kind:chat", "enter")
        await pilot.pause()
        assert app.log_pane.filter_text == "kind:chat"


async def test_keys_reaching_the_prompt_before_its_input_has_focus_are_typed_in(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_filter()
        # Same turn: the screen is not built yet, so nothing on it has focus.
        assert isinstance(app.screen, FilterScreen) and app.screen.focused is None
        burst(app, [*"kind:chat", "enter"])
        await kit.wait_for(pilot, lambda: app.log_pane.filter_text == "kind:chat", timeout=3)
        assert not isinstance(app.screen, FilterScreen)


async def test_journal_search_prompt_says_what_it_does(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        help_text = shown(app.screen.query_one("#filter-help", Static))
        assert help_text == SEARCH_HELP and "empty clears" not in help_text
        await pilot.press("escape")
        await pilot.press("/")
        await pilot.pause()
        assert "empty clears" in shown(app.screen.query_one("#filter-help", Static))


# -- 2: the help screen -----------------------------------------------------------------


def help_lines(app: ClassroomApp) -> list[str]:
    """The help as laid out in its scroll area (all of it, not only what fits on screen)."""
    widget = app.screen.query_one("#help-keys", Static)
    console = Console(width=widget.content_region.width, record=True, file=io.StringIO())
    console.print(help_renderable(app.screen.rows))
    return console.export_text().splitlines()


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_help_reads_as_typed_grouped_with_every_id_whole(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], size: tuple[int, int]
) -> None:
    keymap = {"log.pause": "space", "recordings.next_page": "right_square_bracket,ctrl+n"}
    app = make_app(sandbox.settings, keymap=keymap)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows
        by_id = {row.binding_id: row for row in rows}
        assert len(by_id) == len(rows)  # no duplicate rows
        assert "help_quit" not in by_id
        assert by_id["log.pause"].keys == "space"
        assert by_id["recordings.next_page"].keys == "], ctrl+n"
        assert by_id["recordings.prev_page"].keys == "[, b"
        assert by_id["command_palette"].description == "Command palette: every action by name"
        sections = {row.section for row in rows}
        assert sections == {"Everywhere", "Event log", "Room controller", "Recordings", "Dialogs"}
        assert by_id["controller.start_class"].section == "Room controller"
        assert by_id["record_detail.copy_url"].section == "Dialogs"
        for row in rows:
            assert row.description[:1].isupper() and "_" not in row.description
        lines = help_lines(app)
        for row in rows:
            assert any(line.rstrip().endswith(row.binding_id) for line in lines), row.binding_id
            assert any(line.startswith(row.keys) for line in lines), row.keys
        title = shown(app.screen.query_one("#help-title", Static))
        assert "[keymap]" in title
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
