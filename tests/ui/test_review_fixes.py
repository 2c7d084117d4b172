"""Fixes from driving the console as a new user: markup-like text shown literally, the help
screen, keys typed right after `/` or `f`, login without a keyring, copy, the room field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widgets import Static

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.filter import SEARCH_HELP, FilterScreen

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
