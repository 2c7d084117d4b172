"""The journal in the console, against a sandbox over loopback, the journal in the test's own
XDG_DATA_HOME: committed before shown, history after a restart, per-room order and gaps."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from classroom_tui.api import Event
from classroom_tui.events import Journal
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.journal_service import JournalService
from classroom_tui.ui.widgets.event_log_model import GAP, SEPARATOR

MakeApp = Callable[..., ClassroomApp]
SIZE = (120, 36)


def stored_keys(app_id: str) -> set[tuple[str, int]]:
    with Journal.open(app_id, read_only=True) as journal:
        return {(e.room, e.sequence) for e in journal.query()}


def status_text(app: ClassroomApp) -> str:
    return str(app.status_line.render())


async def test_every_line_shown_is_already_in_the_journal(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    app_id = sandbox.settings.app_id
    checked = 0
    async with app.run_test(size=SIZE) as pilot:

        def shown_are_stored() -> bool:
            nonlocal checked
            rows = app.log_pane.buffer.rows
            if rows:
                # Read the journal the moment the lines are on screen.
                keys = {(r.room, r.decoded.event.sequence) for r in rows}
                assert keys <= stored_keys(app_id)
                checked = len(rows)
            return checked == len(kit.SCRIPT)

        await kit.wait_for(pilot, shown_are_stored)
        assert app.journal is not None
    assert len(stored_keys(app_id)) == len(kit.SCRIPT)


async def test_history_from_the_journal_before_the_live_events_after_a_restart(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    first = make_app(sandbox.settings)
    async with first.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(first.log_pane.buffer.rows) == len(kit.SCRIPT))

    kit.inject(sandbox, [kit.chat("Math 101", "Dan", "still here")])
    second = make_app(sandbox.settings)
    async with second.run_test(size=SIZE) as pilot:
        rows = second.log_pane.buffer.rows
        await kit.wait_for(pilot, lambda: len(rows) == len(kit.SCRIPT) + 2)
        history = [r for r in rows if r.history]
        assert [r.decoded.summary for r in history[:3]] == [
            "class started",
            "Alice (teacher) joined · 1 online",
            "chat Bob: hello",
        ]
        assert len(history) == len(kit.SCRIPT)
        assert rows[len(kit.SCRIPT)].note == SEPARATOR
        live = rows[len(kit.SCRIPT) + 1]
        assert not live.history and live.decoded.summary == "chat Dan: still here"
        assert "── live ──" in second.log_pane.visible_lines()[len(kit.SCRIPT)]


async def test_out_of_order_batches_are_sorted_and_gaps_flagged(
    sandbox_factory: Callable[..., SandboxServer], make_app: MakeApp, kit: Any
) -> None:
    server = sandbox_factory(faults="reorder=1")
    missing = {4, 5, 6, 9}
    events = [
        {"roomUuid": room, "cmd": 3, "sequence": n, "data": {"message": f"m{n}"}}
        for room in ("physics lab #2", "Math 101")
        for n in range(1, 12)
        if n not in missing
    ]
    kit.inject(server, events)
    app = make_app(server.settings)
    async with app.run_test(size=SIZE) as pilot:
        rows = app.log_pane.buffer.rows
        await kit.wait_for(pilot, lambda: len([r for r in rows if r.is_event]) == len(events))
        for room in ("physics lab #2", "Math 101"):
            sequences = [r.decoded.event.sequence for r in rows if r.is_event and r.room == room]
            assert sequences == sorted(sequences)
            gaps = [r.decoded.summary for r in rows if r.note == GAP and r.room == room]
            assert gaps == [f"gap: {room} missing 4-6", f"gap: {room} missing 9"]
        lines = app.log_pane.visible_lines()
        assert any(line.endswith("gap: physics lab #2 missing 4-6") for line in lines)
        assert app.status.gaps == 4 and "gaps 4" in status_text(app)
    assert server.stats()["reorderedBatches"] > 0
    with Journal.open(server.settings.app_id, read_only=True) as journal:
        recorded = {(g.room, g.first_missing, g.last_missing) for g in journal.gaps()}
    assert recorded == {
        (room, low, high)
        for room in ("physics lab #2", "Math 101")
        for low, high in ((4, 6), (9, 9))
    }


async def test_retention_prunes_old_events_off_the_ui_loop(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any, monkeypatch: Any
) -> None:
    app_id = sandbox.settings.app_id
    old = Event.from_json({"roomUuid": "ancient", "cmd": 3, "sequence": 1, "data": {}})
    with Journal.open(app_id) as journal:
        journal.append_batch([old], time.time() - 40 * 86400)
    threads: list[threading.Thread] = []
    real_prune = JournalService.prune

    def spy(self: JournalService, days: float, max_bytes: int | None = None) -> int:
        threads.append(threading.current_thread())
        return real_prune(self, days, max_bytes)

    monkeypatch.setattr(JournalService, "prune", spy)
    app = make_app(sandbox.settings, retention_days=30)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: ("ancient", 1) not in stored_keys(app_id))
        assert threads and all(t is not threading.main_thread() for t in threads)
        # The old event was history on start; pruning does not touch the screen.
        assert app.log_pane.buffer.rows[0].room == "ancient"


async def test_retention_by_size_keeps_the_journal_under_the_limit(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app_id = sandbox.settings.app_id
    padding = "x" * 1000
    batch = [
        Event.from_json({"roomUuid": "big", "cmd": 3, "sequence": n, "data": {"m": padding}})
        for n in range(1, 4001)
    ]
    with Journal.open(app_id) as journal:
        journal.append_batch(batch, time.time() - 3600)
        assert journal.stats().size_bytes > 3 * 1024 * 1024

    def size() -> int:
        with Journal.open(app_id, read_only=True) as journal:
            return journal.stats().size_bytes

    app = make_app(sandbox.settings, retention_days=30, retention_max_mb=1)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: size() <= 1024 * 1024)
    kept = stored_keys(app_id)
    assert ("big", 4000) in kept and ("big", 1) not in kept, "the oldest go first"
