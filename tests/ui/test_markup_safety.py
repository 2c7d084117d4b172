"""Free text from the service (room names, user names, chat) is shown as text, never read as
Rich markup: a student typing "[/]" in chat must not take the console down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Static

from classroom_tui.cli.exit_codes import CommandError
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.event_detail import EventDetailScreen
from classroom_tui.ui.widgets.room_controller import Action, RoomController
from classroom_tui.ui.widgets.room_field import RoomField

SIZE = (120, 36)
HOSTILE = "Evil[/]Name [bold]x[/bold] [link=http://x]y"


async def test_event_detail_shows_markup_like_text_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    room = "chem [A] 50%"
    chat = {
        "roomUuid": room,
        "cmd": 3,
        "sequence": 1,
        "version": 1,
        "data": {"fromUser": {"userUuid": "u1", "userName": HOSTILE, "role": 2}, "message": "[/]"},
    }
    kit.inject(sandbox, [chat])
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen)
        title = str(app.screen.query_one("#detail-title").render())
        summary = str(app.screen.query_one("#detail-summary").render())
        assert room in title
        assert summary == f"chat {HOSTILE}: [/]"
        await pilot.press("escape")
        assert app.is_running


ROOM = "chem [A] 50%"


def drawn(widget: Widget) -> str:
    """What the widget puts on screen, border included, line by line."""
    lines = widget.render_lines(widget.region.reset_offset)
    return "\n".join("".join(segment.text for segment in line).rstrip() for line in lines)


def notices(app: ClassroomApp) -> list[Any]:
    return list(app._notifications)


async def test_controller_action_shows_the_room_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        controller = app.query_one(RoomController)
        controller.query_one(RoomField).room = ROOM
        controller.request(Action.START_CLASS)
        expected = f"class started in {ROOM!r}"
        await kit.wait_for(pilot, lambda: any(n.message == expected for n in notices(app)))
        notice = [n for n in notices(app) if n.message == expected][-1]
        assert not notice.markup
        await pilot.pause()
        result = controller.query_one("#controller-result", Static)
        assert str(result.render()) == expected
        assert expected in " ".join(drawn(result).split())


async def test_server_error_with_brackets_is_shown_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        controller = app.query_one(RoomController)
        error = "the service refused the request (HTTP 409, code 1): bad [/] room [b]x"
        controller._finish(Action.END_CLASS, ROOM, error)
        await pilot.pause()
        text = f"end class in {ROOM!r} failed: {error}"
        assert str(controller.query_one("#controller-result", Static).render()) == text
        assert notices(app)[-1].message == text and not notices(app)[-1].markup
        assert app.is_running


async def test_worker_error_with_brackets_is_notified_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    app = make_app(sandbox.settings)

    async def fail() -> None:
        raise RuntimeError("broken [/] at [b]x")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.run_worker(fail(), group="tests", exit_on_error=False)
        await kit.wait_for(pilot, lambda: app.status.last_error == "broken [/] at [b]x")
        await pilot.pause()
        assert notices(app)[-1].message == "tests: broken [/] at [b]x"
        assert not notices(app)[-1].markup
        assert app.is_running


async def test_connection_problem_with_brackets_is_notified_literally(
    make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    def prepare() -> Any:
        raise CommandError("cannot read /tmp/[x]/config.toml: [/] is not TOML", 2)

    app = make_app(None, prepare=prepare)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "not connected")
        await pilot.pause()
        notice = notices(app)[-1]
        assert notice.message == "cannot read /tmp/[x]/config.toml: [/] is not TOML"
        assert not notice.markup
        assert app.is_running


@pytest.mark.parametrize("text", ["[/]", f"room:{ROOM}", "[b]x [link=http://x]y"])
async def test_filter_with_brackets_is_shown_literally_in_the_log_title(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], text: str
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("/", *text, "enter")
        await pilot.pause()
        log = app.log_pane
        assert log.filter_text == text
        title = log._border_title
        assert title is not None and f"(filter: {text})" in title.plain
        assert f"(filter: {text})" in drawn(log).splitlines()[0]
        assert app.is_running
