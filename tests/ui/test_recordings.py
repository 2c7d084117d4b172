"""The recordings browser against the sandbox over loopback: paging through the 250-record
room (previous from the cache, next prefetched), details, copying a URL, inline errors."""

from __future__ import annotations

import pytest
from pane_harness import PaneHarness
from textual.app import App
from textual.widgets import Static

from classroom_tui.api import ConnectionSettings
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.screens.record_detail import RecordDetailScreen, copy_notice
from classroom_tui.ui.widgets.recordings import RecordingsBrowser
from classroom_tui.ui.widgets.records_view import RecordsView
from classroom_tui.ui.widgets.room_field import RoomField

ROOM = "biology archive"


class RecordingsHarness(PaneHarness):
    CSS_PATH = "../../styles/recordings.tcss"

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings, RecordingsBrowser())


def list_requests(sandbox: SandboxServer) -> int:
    # Only the browser talks to this sandbox, and it only lists records.
    return sum(sandbox.stats()["requestsByStatus"].values())


def position(app: App[None]) -> str:
    return str(app.query_one("#recordings-position", Static).render())


def view(app: App[None]) -> RecordsView:
    return app.query_one("#recordings-table", RecordsView)


def first_cell(app: App[None]) -> str:
    return view(app).table.cells[0][0]


async def open_room(pilot, room: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.query_one(RoomField)
    field.input.focus()
    field.room = room
    await pilot.press("enter")
    await settle(pilot)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the shown page is drawn and the page after it (asked for once it is on screen)
    has arrived."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


@pytest.fixture
def harness(sandbox: SandboxServer) -> RecordingsHarness:
    return RecordingsHarness(sandbox.settings)


async def test_paging_forward_and_back(harness: RecordingsHarness, sandbox: SandboxServer) -> None:
    records = sandbox.world.room(ROOM).records
    async with harness.run_test() as pilot:
        await open_room(pilot, ROOM)
        table = view(harness)
        # The table took the focus when the room was asked for, and keeps it.
        assert harness.focused is table
        assert position(harness).startswith(f"'{ROOM}' · page 1 · records 1-100 of 250")
        assert table.row_count == 100
        assert first_cell(harness) == records[0]["recordId"][:12] + "…"
        # Page 1 and the prefetched page 2.
        assert list_requests(sandbox) == 2

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert position(harness).startswith(f"'{ROOM}' · page 2 · records 101-200 of 250")
        assert first_cell(harness) == records[100]["recordId"][:12] + "…"
        assert list_requests(sandbox) == 3  # page 3 prefetched

        await pilot.press("n")
        await pilot.pause()
        assert position(harness).startswith(f"'{ROOM}' · page 3 · records 201-250 of 250")
        assert table.row_count == 50
        await pilot.press("n")  # the last page: nothing more to ask for
        await pilot.app.workers.wait_for_complete()
        assert list_requests(sandbox) == 3

        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert position(harness).startswith(f"'{ROOM}' · page 2 · records 101-200 of 250")
        await pilot.press("b")
        await pilot.pause()
        assert position(harness).startswith(f"'{ROOM}' · page 1 · records 1-100 of 250")
        assert first_cell(harness) == records[0]["recordId"][:12] + "…"
        await pilot.app.workers.wait_for_complete()
        assert list_requests(sandbox) == 3  # going back asked nothing


async def test_next_page_is_fetched_and_drawn_before_the_key(
    harness: RecordingsHarness, sandbox: SandboxServer
) -> None:
    records = sandbox.world.room(ROOM).records
    async with harness.run_test() as pilot:
        await open_room(pilot, ROOM)
        browser = harness.query_one(RecordingsBrowser)
        ready = browser.drawn[1]
        asked = list_requests(sandbox)
        # Shown by the key itself: no request, no waiting, the lines drawn beforehand.
        browser.action_next_page()
        assert view(harness).table is ready
        assert first_cell(harness) == records[100]["recordId"][:12] + "…"
        assert position(harness).startswith(f"'{ROOM}' · page 2 · records 101-200 of 250")
        assert list_requests(sandbox) == asked
        # Once page 2 is on screen, page 3 is asked for and drawn.
        await settle(pilot)
        assert list_requests(sandbox) == asked + 1
        assert browser.drawn[2].cells[0][0] == records[200]["recordId"][:12] + "…"


async def test_details_and_copy_url(harness: RecordingsHarness, sandbox: SandboxServer) -> None:
    record = sandbox.world.room(ROOM).records[2]
    async with harness.run_test() as pilot:
        await open_room(pilot, ROOM)
        await pilot.press("down", "down")
        await pilot.press("y")
        await pilot.pause()
        assert harness.clipboard == record["url"]
        notice = list(harness._notifications)[-1]
        assert notice.message == copy_notice(record["url"])
        assert not notice.markup

        await pilot.press("enter")
        await pilot.pause()
        screen = harness.screen
        assert isinstance(screen, RecordDetailScreen)
        assert screen.record.record_id == record["recordId"]
        text = "\n".join(f"{name}: {value}" for name, value in screen.rows)
        for name in ("recordId", "startTime", "endTime", "resourceId", "sid", "url", "boardId"):
            assert name in text
        assert record["sid"] in text and "finished (2)" in text
        # The whiteboard token is a credential: named, never shown.
        assert record["boardToken"] not in text and "(hidden," in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(harness.screen, RecordDetailScreen)


async def test_running_recording_shows_dashes(
    harness: RecordingsHarness, sandbox: SandboxServer
) -> None:
    sandbox.world.set_recording_state("office hours", 1)
    async with harness.run_test() as pilot:
        await open_room(pilot, "office hours")
        row = view(harness).table.cells[0]
        assert row[2] == row[3] == row[6] == "—"
        assert row[5] == "recording"
        assert position(harness).startswith("'office hours' · page 1 · records 1-1 of 1")
        await pilot.press("y")
        await pilot.pause()
        assert list(harness._notifications)[-1].severity == "warning"


async def test_unknown_room_is_an_inline_error(
    harness: RecordingsHarness, sandbox: SandboxServer
) -> None:
    async with harness.run_test() as pilot:
        await open_room(pilot, "no such room")
        error = harness.query_one("#recordings-error", Static)
        assert error.display
        assert str(error.render()).startswith("the room does not exist (HTTP 404, code 20404100)")
        # Back in the room field, to correct the room.
        assert harness.focused is harness.query_one(RoomField).input
        assert view(harness).row_count == 0
        # A good room afterwards clears it.
        await open_room(pilot, "demo room")
        assert not error.display
        assert position(harness).startswith("'demo room' · page 1 · records 1-3 of 3")


async def test_invalid_room_sends_nothing(
    harness: RecordingsHarness, sandbox: SandboxServer
) -> None:
    async with harness.run_test() as pilot:
        await open_room(pilot, "bio/archive")
        field = harness.query_one(RoomField)
        assert "character '/' at position 4" in str(field.query_one(".room-problem").render())
        assert list_requests(sandbox) == 0


async def test_empty_room(harness: RecordingsHarness, sandbox: SandboxServer) -> None:
    async with harness.run_test() as pilot:
        await open_room(pilot, "office hours")
        assert position(harness) == "'office hours' · page 1 · no recordings"


async def test_clicking_the_cursor_row_opens_its_details(
    harness: RecordingsHarness, sandbox: SandboxServer
) -> None:
    record = sandbox.world.room(ROOM).records[1]
    async with harness.run_test() as pilot:
        await open_room(pilot, ROOM)
        await pilot.click(RecordsView, offset=(3, 2))  # the second row: moves the cursor
        await pilot.pause()
        assert view(harness).cursor_row == 1
        assert not isinstance(harness.screen, RecordDetailScreen)
        await pilot.click(RecordsView, offset=(3, 2))
        await pilot.pause()
        screen = harness.screen
        assert isinstance(screen, RecordDetailScreen)
        assert screen.record.record_id == record["recordId"]
