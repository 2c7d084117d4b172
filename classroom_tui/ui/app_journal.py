"""The journal in the console: history before the live log, export, search, the audit trail,
retention and the warnings. A base class of `ClassroomApp`; the SQLite work runs on the
journal thread (`JournalService.run`) or in thread workers, never on the UI loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from textual import on, work

from ..api import ConnectionSettings, Event
from ..config import data_dir
from ..events import EventDecoder, JournalUnavailable, StoredEvent, StoredGap
from ..events.export import default_export_path, export_to_file
from .app_panes import ConsoleBase
from .journal_service import JournalService
from .messages import JournalOpened
from .screens.audit import AuditScreen
from .screens.export import ExportScreen
from .screens.filter import FilterScreen
from .screens.journal_search import JournalSearchScreen
from .widgets.event_log import LogEntry
from .widgets.room_controller import RoomController

PRUNE_EVERY = 3600.0
WRITER_CHECK_EVERY = 30.0


def history_entries(
    history: Sequence[StoredEvent | StoredGap], decoder: EventDecoder
) -> list[tuple[LogEntry, datetime]]:
    entries: list[tuple[LogEntry, datetime]] = []
    for item in history:
        if isinstance(item, StoredGap):
            entries.append((item.gap, datetime.fromtimestamp(item.noticed_at)))
        else:
            entries.append((decoder.decode(item.event), datetime.fromtimestamp(item.fetched_at)))
    return entries


class JournalFeatures(ConsoleBase):
    # Provided by ClassroomApp.
    journal_service: JournalService
    decoder: EventDecoder
    settings: ConnectionSettings | None
    profile_name: str
    retention_days: int
    retention_max_mb: int
    _journal_warned: str | None = None
    _other_writer_warned = False

    def start_journal_upkeep(self) -> None:
        self.set_interval(PRUNE_EVERY, self.prune_journal)
        self.set_interval(WRITER_CHECK_EVERY, self.check_other_writer)

    # -- history and state ---------------------------------------------------------------

    @on(JournalOpened)
    def _journal_opened(self, message: JournalOpened) -> None:
        if not self.console_ready:
            return
        if message.history:
            log = self.log_pane
            log.add_entries(history_entries(message.history, self.decoder), history=True)
            log.add_separator()
            events = [item.event for item in message.history if isinstance(item, StoredEvent)]
            for controller in self.query(RoomController):
                controller.observe_events(events)
        if message.off_reason:
            self.journal_off(message.off_reason)
        else:
            self.status.journal_off = ""
            self._journal_warned = None
            self.prune_journal()
        self._show_other_writer(message.other_writer)
        self.status_line.refresh()

    def journal_off(self, reason: str) -> None:
        """The journal stopped (or never started): say so where it stays visible."""
        self.status.journal_off = reason
        self.status_line.refresh()
        if self._journal_warned != reason:
            self._journal_warned = reason
            self.notify(
                f"{reason}. The console keeps running live, but events are not kept.",
                title="Journal off",
                severity="error",
                timeout=15,
                markup=False,
            )

    def _show_other_writer(self, seen: bool) -> None:
        self.status.other_writer = seen
        if seen and not self._other_writer_warned:
            self.notify(
                "Another console or `classroom-tui events` polls this App ID: each gets only "
                "part of the events (the service hands each out once).",
                title="Another writer",
                severity="warning",
                timeout=15,
            )
        self._other_writer_warned = seen
        self.status_line.refresh()

    @work(exclusive=True, group="journal-check", exit_on_error=False)
    async def check_other_writer(self) -> None:
        service = self.journal_service
        try:
            seen = await service.run(service.other_writer_seen)
        except JournalUnavailable:
            return
        self._show_other_writer(seen)

    @work(thread=True, exclusive=True, group="journal-prune", exit_on_error=False)
    def prune_journal(self) -> int:
        max_bytes = self.retention_max_mb * 1024 * 1024 or None
        return self.journal_service.prune(self.retention_days, max_bytes)

    # -- audit trail ---------------------------------------------------------------------

    @on(RoomController.ActionFinished)
    def _action_finished(self, message: RoomController.ActionFinished) -> None:
        if message.sent:
            self._record_action(message)

    @work(group="journal-audit", exit_on_error=False)
    async def _record_action(self, message: RoomController.ActionFinished) -> None:
        service = self.journal_service
        uid = self.settings.uid if self.settings else ""

        def record() -> str | None:
            return service.record_action(
                profile=self.profile_name,
                uid=uid,
                room=message.room,
                action=message.audit_name or message.action,
                error=message.failure,
            )

        problem = await service.run(record)
        if problem is not None:
            self.notify(
                f"not recorded in the audit trail: {problem}", severity="warning", markup=False
            )

    def action_audit(self) -> None:
        self._open_audit()

    @work(exclusive=True, group="journal-read", exit_on_error=False)
    async def _open_audit(self) -> None:
        service = self.journal_service
        try:
            entries = await service.run(service.audit)
        except JournalUnavailable as error:
            self.notify(str(error), title="Audit trail", severity="error", markup=False)
            return
        self.push_screen(AuditScreen(entries))

    # -- search and export ---------------------------------------------------------------

    def action_search_journal(self) -> None:
        def search(text: str | None) -> None:
            if text is not None:
                self._search(text)

        title = "Search the journal (same syntax as the filter; esc cancels)"
        self.push_screen(FilterScreen(self.log_pane.filter_text, title=title), callback=search)

    @work(exclusive=True, group="journal-read", exit_on_error=False)
    async def _search(self, text: str) -> None:
        service = self.journal_service
        try:
            # A thread of its own: a long scan must not hold up the batches' commits.
            matches, capped = await asyncio.to_thread(service.search, text)
        except JournalUnavailable as error:
            self.notify(str(error), title="Journal search", severity="error", markup=False)
            return
        self.push_screen(JournalSearchScreen(text, matches, capped))

    def action_export(self) -> None:
        log = self.log_pane
        items = [(row.decoded.event, row.received.timestamp()) for row in log.event_rows()]
        if not items:
            self.notify("nothing to export: the log's view is empty", severity="warning")
            return
        default = default_export_path(data_dir() / "exports", "jsonl", time.time())

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(items, path)

        self.push_screen(ExportScreen(default, len(items), log.filter_text), callback=chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, items: list[tuple[Event, float]], path: Path) -> None:
        try:
            count = export_to_file(items, path)
        except OSError as error:
            reason = error.strerror or str(error)
            self.call_from_thread(
                self.notify,
                f"could not write {path}: {reason}",
                title="Export",
                severity="error",
                markup=False,
            )
            return
        self.call_from_thread(
            self.notify, f"{count} event(s) written to {path}", title="Export", markup=False
        )
