"""Export, journal search and the audit trail from the console; a journal that cannot be
opened leaves the console running live with a visible warning."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from classroom_tui.events import Journal, JournalUnavailable, journal_path
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.screens.audit import AuditScreen
from classroom_tui.ui.screens.export import ExportScreen
from classroom_tui.ui.screens.journal_search import JournalSearchScreen
from classroom_tui.ui.widgets.event_log import EventLog
from classroom_tui.ui.widgets.room_controller import RoomController
from classroom_tui.ui.widgets.room_field import RoomField

MakeApp = Callable[..., ClassroomApp]
SIZE = (120, 36)


def status_text(app: ClassroomApp) -> str:
    return str(app.status_line.render())


@pytest.mark.parametrize("name", ["math.csv", "math.jsonl"])
async def test_export_writes_the_filtered_view(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any, tmp_path: Path, name: str
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    target = tmp_path / "out" / name
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == len(kit.SCRIPT))
        app.log_pane.set_filter("room:math")
        await pilot.press("ctrl+e")
        await kit.wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one(Input)
        assert field.value.endswith(".jsonl") and "exports" in field.value
        field.value = str(target)
        await pilot.press("enter")
        await kit.wait_for(pilot, target.exists)
        await kit.wait_for(
            pilot, lambda: any("written to" in n.message for n in app._notifications)
        )
        [note] = [n for n in app._notifications if "written to" in n.message]
        assert note.message == f"4 event(s) written to {target}"
    text = target.read_text(encoding="utf-8")
    if name.endswith(".csv"):
        rows = list(csv.DictReader(text.splitlines()))
        assert [r["room"] for r in rows] == ["Math 101"] * 4
        assert rows[2]["summary"] == "chat Carol: can you hear me?"
    else:
        lines = [json.loads(line) for line in text.splitlines()]
        assert [(e["roomUuid"], e["sequence"]) for e in lines] == [
            ("Math 101", n) for n in range(1, 5)
        ]


async def test_export_to_an_unwritable_place_says_so(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any, tmp_path: Path
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == len(kit.SCRIPT))
        await pilot.press("ctrl+e")
        await kit.wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one(Input).value = str(blocker / "out.csv")
        await pilot.press("enter")
        await kit.wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        [note] = [n for n in app._notifications if n.severity == "error"]
        assert note.message.startswith(f"could not write {blocker / 'out.csv'}: ")


async def test_search_finds_events_the_log_no_longer_holds(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings, max_log_lines=3)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: _seen_last(app))
        assert not any("hello" in line for line in app.log_pane.visible_lines())
        await pilot.press("f")
        await pilot.press(*"kind:chat", "enter")
        await kit.wait_for(pilot, lambda: isinstance(app.screen, JournalSearchScreen))
        screen = app.screen
        title = str(screen.query_one("#search-title").render())
        assert title == "Journal search: kind:chat · 2 match(es)"
        lines = screen.query_one(EventLog).visible_lines()
        assert [line.split("  ")[-1] for line in lines] == [
            "chat Bob: hello",
            "chat Carol: can you hear me?",
        ]
        await pilot.press("escape")
        await kit.wait_for(pilot, lambda: not isinstance(app.screen, JournalSearchScreen))
        assert len(app.log_pane.buffer.rows) == 3


def _seen_last(app: ClassroomApp) -> bool:
    rows = app.log_pane.buffer.rows
    return bool(rows) and rows[-1].decoded.event.cmd == 4242


async def test_controller_actions_go_to_the_audit_trail_and_its_screen(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings, profile_name="night-shift")
    async with app.run_test(size=SIZE) as pilot:
        controller = app.query_one(RoomController)
        controller.query_one(RoomField).room = "Math 101"
        controller.action_start_class()
        await kit.wait_for(pilot, lambda: sandbox.world.room("Math 101").state == 1)
        controller.action_start_class()  # a second start: the service answers 409

        def audited() -> int:
            try:
                with Journal.open(sandbox.settings.app_id, read_only=True) as journal:
                    return len(journal.audit())
            except JournalUnavailable:  # the console is still creating it
                return 0

        await kit.wait_for(pilot, lambda: audited() == 2)
        app.log_pane.focus()
        await pilot.press("a")
        await kit.wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1:6] for row in rows] == [
            ["night-shift", sandbox.settings.uid, "Math 101", "class start", "200"],
            ["night-shift", sandbox.settings.uid, "Math 101", "class start", "409"],
        ]
        assert rows[0][7] == "ok" and rows[1][6] == "30409100"
        await pilot.press("escape")
        await kit.wait_for(pilot, lambda: not isinstance(app.screen, AuditScreen))


@pytest.mark.parametrize("breakage", ["directory", "garbage"])
async def test_a_journal_that_cannot_be_opened_leaves_the_console_live(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any, breakage: str
) -> None:
    # Both fail for root too (a directory where the file should be; a file that is no DB).
    path = journal_path(sandbox.settings.app_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if breakage == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"this is not a database, it only looks like a file " * 200)
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == len(kit.SCRIPT))
        assert app.journal is None
        text = status_text(app)
        assert "● live" in text and "journal off: " in text
        notes = [n for n in app._notifications if n.title == "Journal off"]
        assert len(notes) == 1 and str(path) in notes[0].message
        assert "keeps running live" in notes[0].message
        await pilot.press("a")  # the audit trail says why it cannot be shown
        await kit.wait_for(pilot, lambda: any(n.title == "Audit trail" for n in app._notifications))
    if breakage == "garbage":
        assert path.read_bytes().startswith(b"this is not a database")


async def test_another_writer_of_the_app_id_is_warned_about(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    with Journal.open(sandbox.settings.app_id):  # e.g. `classroom-tui events -f` elsewhere
        app = make_app(sandbox.settings)
        async with app.run_test(size=SIZE) as pilot:
            await kit.wait_for(pilot, lambda: app.status.other_writer)
            assert "another console polls this App ID" in status_text(app)
            assert [n.title for n in app._notifications].count("Another writer") == 1
