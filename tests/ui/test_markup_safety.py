"""Free text from the service (room names, user names, chat) is shown as text, never read as
Rich markup: a student typing "[/]" in chat must not take the console down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.event_detail import EventDetailScreen

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
