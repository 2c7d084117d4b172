"""Fixes from driving the console as a new user: markup-like text shown literally, the help
screen, keys typed right after `/` or `f`, login without a keyring, copy, the room field."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from classroom_tui.api import Record
from classroom_tui.events import AuditEntry, StoredEvent
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.audit import AuditScreen
from classroom_tui.ui.screens.confirm import ConfirmScreen
from classroom_tui.ui.screens.export import ExportScreen
from classroom_tui.ui.screens.filter import SEARCH_HELP, FilterScreen
from classroom_tui.ui.screens.help import HelpScreen, help_renderable
from classroom_tui.ui.screens.journal_search import JournalSearchScreen
from classroom_tui.ui.screens.record_detail import RecordDetailScreen
from classroom_tui.ui.widgets.event_log import EventLog
from classroom_tui.ui.widgets.room_field import RoomField

SIZE = (120, 36)
HOSTILE_ROOM = "chem [A] 50%"
HOSTILE_USER = "Evil[/]Name [b]x"


def burst(app: ClassroomApp, keys: list[str]) -> None:
    """Every key posted at once, as one read from the terminal delivers them."""
    for key in keys:
        name = {":": "colon", "/": "slash"}.get(key, key)
        character = {"slash": "/", "colon": ":", "enter": "\r"}.get(name, name)
        app.post_message(events.Key(name, character))


def shown(widget: Any) -> str:
    return str(widget.render())


def drawn(widget: Widget) -> str:
    """What the widget puts on screen, line by line."""
    lines = widget.render_lines(widget.region.reset_offset)
    return "\n".join("".join(segment.text for segment in line).rstrip() for line in lines)


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


@pytest.mark.parametrize(
    ("keymap", "opener"),
    [({}, "slash"), ({"log.filter": "colon"}, "colon")],
)
async def test_filter_typed_in_one_burst_with_its_key_is_applied(
    sandbox: SandboxServer,
    make_app: Callable[..., ClassroomApp],
    kit: Any,
    keymap: dict[str, str],
    opener: str,
) -> None:
    app = make_app(sandbox.settings, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.log_pane
        burst(app, [opener, *"kind:chat", "enter"])
        await kit.wait_for(pilot, lambda: app.log_pane.filter_text == "kind:chat", timeout=3)
        assert not isinstance(app.screen, FilterScreen)


async def test_journal_search_typed_in_one_burst_with_f_searches_it(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    kit.inject(sandbox, [hostile_chat(1)])
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == 1)
        burst(app, ["f", *"kind:chat", "enter"])
        await kit.wait_for(pilot, lambda: isinstance(app.screen, JournalSearchScreen))
        assert shown(app.screen.query_one("#search-title")).startswith("Journal search: kind:chat")


async def test_slash_typed_in_a_room_field_stays_in_the_field(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        field = app.query_one("#controller", Widget).query_one(RoomField)
        burst(app, [*"ab", "slash", "f"])
        await kit.wait_for(pilot, lambda: field.room == "ab/f", timeout=3)
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


# -- 1: free text from the service is shown as text, never read as markup --------------------

HOSTILE_URL = "https://cdn.example/rec/[A]/x.m3u8"


def hostile_chat(sequence: int) -> dict[str, Any]:
    user = {"userUuid": "u1", "userName": HOSTILE_USER, "role": 2}
    data = {"fromUser": user, "message": "[/] [b]hi", "type": 1}
    return {"roomUuid": HOSTILE_ROOM, "cmd": 3, "sequence": sequence, "version": 1, "data": data}


async def test_record_details_show_brackets_literally_and_the_url_on_copy(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    record = Record.from_json(
        {
            "recordId": "rec [1] 50%",
            "roomUuid": HOSTILE_ROOM,
            "userName": HOSTILE_USER,
            "status": 2,
            "url": HOSTILE_URL,
        }
    )
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(RecordDetailScreen(record))
        await pilot.pause()
        screen = app.screen
        assert shown(screen.query_one("#record-detail-title")) == "Recording rec [1] 50%"
        fields = drawn(screen.query_one("#record-detail-fields", Static))
        for text in (HOSTILE_ROOM, HOSTILE_USER, HOSTILE_URL):
            assert text in fields
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == HOSTILE_URL
        notice = list(app._notifications)[-1]
        assert notice.message == (
            f"URL sent to the clipboard (if your terminal allows it): {HOSTILE_URL}"
        )
        assert not notice.markup
        await pilot.press("escape")
        assert app.is_running


async def test_journal_search_results_show_brackets_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp], kit: Any
) -> None:
    kit.inject(sandbox, [hostile_chat(1), hostile_chat(2)])
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == 2)
        await pilot.press("f", *"kind:chat", "enter")
        await kit.wait_for(pilot, lambda: isinstance(app.screen, JournalSearchScreen))
        await pilot.pause()
        title = shown(app.screen.query_one("#search-title"))
        assert title == "Journal search: kind:chat · 2 match(es)"
        lines = app.screen.query_one(EventLog).visible_lines()
        assert len(lines) == 2
        assert all(HOSTILE_ROOM in line and HOSTILE_USER in line for line in lines)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running


def stored(sequence: int, at: datetime) -> StoredEvent:
    raw = hostile_chat(sequence)
    return StoredEvent(sequence, "app", HOSTILE_ROOM, 3, sequence, 1, at.timestamp(), raw)


async def test_journal_search_results_from_other_days_show_the_date(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    today = date(2026, 3, 2)
    noon = datetime(2026, 3, 2, 12, 0, 5)
    matches = [stored(1, noon - timedelta(days=3)), stored(2, noon)]
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(JournalSearchScreen("", matches, False, today=today))
        await pilot.pause()
        lines = app.screen.query_one(EventLog).visible_lines()
        assert lines[0].startswith("2026-02-27 12:00:05  ")
        assert lines[1].startswith("today      12:00:05  ")
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(JournalSearchScreen("", matches[1:], False, today=today))
        await pilot.pause()
        lines = app.screen.query_one(EventLog).visible_lines()
        assert lines[0].startswith("12:00:05  ")


async def test_dialogs_show_brackets_literally(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        message = f"Start the class in {HOSTILE_ROOM!r} for {HOSTILE_USER}?"
        app.push_screen(ConfirmScreen("Start class?", message, "Start class"))
        await pilot.pause()
        assert shown(app.screen.query_one("#confirm-message")) == message
        await pilot.press("escape")
        await pilot.pause()

        app.push_screen(ExportScreen(Path("/tmp/x.jsonl"), 3, f"room:{HOSTILE_ROOM}"))
        await pilot.pause()
        title = shown(app.screen.query_one("#export-title"))
        assert title == f"Export 3 event(s) matching 'room:{HOSTILE_ROOM}'"
        await pilot.press("escape")
        await pilot.pause()

        entry = AuditEntry(1, time.time(), "p", HOSTILE_USER, HOSTILE_ROOM, "[b]x", 200, 0, "ok")
        app.push_screen(AuditScreen([entry]))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert cells[2:5] == [HOSTILE_USER, HOSTILE_ROOM, "[b]x"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


# -- 6: the room field ---------------------------------------------------------------------


async def test_room_field_focus_keeps_the_room_and_shows_the_whole_problem(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.query_one("#controller", Widget).query_one(RoomField)
        field.room = "math"
        await pilot.press("2")
        await pilot.pause()
        field_input = field.query_one(Input)
        assert app.focused is field_input
        assert field_input.selection.is_empty
        assert field_input.cursor_position == len("math")
        await pilot.press(*"/[b]")
        await pilot.pause()
        assert field.room == "math/[b]"
        problem = field.query_one(".room-problem", Static)
        message = "character '/' at position 5 is not allowed in a room id"
        assert shown(problem) == message
        assert drawn(problem).split() == message.split()
