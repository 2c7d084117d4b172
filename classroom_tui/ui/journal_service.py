"""The console's journal, without Textual: one dedicated thread owns the SQLite work.

Every call that touches the collector or the journal runs on that single thread, in the order it
was asked for, so a batch is committed before the next one and the UI loop never waits on disk.
A journal that cannot be opened or fails later is dropped: the console goes on live, and
`off_reason` says why (the caller shows it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ..api import ClassroomError, Event
from ..events import (
    EventCollector,
    EventDecoder,
    Gap,
    Journal,
    JournalUnavailable,
    journal_path,
    record_outcome,
)
from ..events.journal_models import AuditEntry, StoredEvent, StoredGap
from ..events.journal_query import interleave_gaps
from .widgets.event_log_model import LogFilter, LogRow

T = TypeVar("T")

DEFAULT_HISTORY_LINES = 200
DEFAULT_RETENTION_DAYS = 30
SEARCH_CHUNK = 2000
SEARCH_SCAN_LIMIT = 100_000
SEARCH_MATCH_LIMIT = 2000
# An empty poll needs the journal only for its heartbeat (every 10 s): at most this often.
EMPTY_POLL_VISIT_EVERY = 5.0
_EPOCH = datetime.fromtimestamp(0)


@dataclass(frozen=True)
class Opened:
    """What the console shows first: the newest stored events (and gaps among them)."""

    history: list[StoredEvent | StoredGap]
    off_reason: str | None
    other_writer: bool


@dataclass(frozen=True)
class Accepted:
    """A batch after the journal: what to show, and a journal failure to report (once)."""

    shown: list[Event | Gap]
    journal_error: str | None


class JournalService:
    """Thread-confined owner of a `Journal` and an `EventCollector` for one App ID."""

    def __init__(self, data_dir: Path | None = None, *, enabled: bool = True) -> None:
        self.data_dir = data_dir
        self.enabled = enabled
        self.app_id: str | None = None
        self.collector = EventCollector(None)
        self.off_reason: str | None = None if enabled else "turned off"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._visited_at = float("-inf")

    # -- running on the journal thread ---------------------------------------------------

    async def run(self, work: Callable[[], T]) -> T:
        """Run `work` on the journal thread; the caller's task waits, the loop does not."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    @property
    def journal(self) -> Journal | None:
        return self.collector.journal

    # -- the calls below run on the journal thread (through `run`) ------------------------

    def open(self, app_id: str, history_lines: int = DEFAULT_HISTORY_LINES) -> Opened:
        """(Re)open the App ID's journal and read the history to show. Never raises."""
        if self.app_id == app_id and (self.journal is not None or not self.enabled):
            return Opened([], self.off_reason, False)
        self._close_journal()
        self.app_id = app_id
        journal: Journal | None = None
        if self.enabled:
            try:
                path = journal_path(app_id, self.data_dir)
                journal = Journal.open(app_id, path)
                self.off_reason = None
            except JournalUnavailable as error:
                self.off_reason = str(error)
            except OSError as error:
                self.off_reason = f"the event journal cannot be opened: {error}"
        self.collector = EventCollector.resume(journal)
        history: list[StoredEvent | StoredGap] = []
        other = False
        try:
            history = self._history(history_lines)
            other = self.other_writer_seen()
        except JournalUnavailable as error:
            self._failed(error)
        dropped = self.collector.take_journal_error()
        if dropped is not None:
            self.off_reason = str(dropped)
        return Opened(history, self.off_reason, other)

    def _history(self, limit: int) -> list[StoredEvent | StoredGap]:
        journal = self.journal
        if journal is None or limit <= 0:
            return []
        events = journal.recent(limit)
        if not events:
            return []
        return interleave_gaps(events, journal.gaps(since=events[0].fetched_at))

    def needs(self, batch: Sequence[Event]) -> bool:
        """Whether the batch must go through the journal thread: every non-empty batch does;
        an empty one only now and then, so an idle console does not wake the thread at every
        poll."""
        return bool(batch) or time.monotonic() - self._visited_at >= EMPTY_POLL_VISIT_EVERY

    def accept(self, batch: Sequence[Event], fetched_at: float | None = None) -> Accepted:
        self._visited_at = time.monotonic()
        shown = self.collector.accept(batch, fetched_at)
        error = self.collector.take_journal_error()
        if error is not None:
            self.off_reason = str(error)
        return Accepted(shown, None if error is None else str(error))

    def record_action(
        self, *, profile: str, uid: str, room: str, action: str, error: ClassroomError | None
    ) -> str | None:
        """Add an audit entry; the reason when it could not be recorded."""
        journal = self.journal
        if journal is None:
            return f"journal off: {self.off_reason or 'not open'}"
        try:
            record_outcome(journal, profile=profile, uid=uid, room=room, action=action, error=error)
        except JournalUnavailable as failure:
            return str(failure)
        return None

    def prune(self, retention_days: float, max_bytes: int | None = None) -> int:
        """Drop events older than the retention, and the oldest beyond `max_bytes`. Safe from
        any thread: the journal serializes its calls, and pruning works in short transactions
        so batches are not held up."""
        journal = self.journal
        if journal is None:
            return 0
        try:
            return journal.prune(max_age_days=retention_days, max_bytes=max_bytes)
        except JournalUnavailable:
            # Closed meanwhile or busy: the next round tries again; batches report failures.
            return 0

    def search(self, text: str) -> tuple[list[StoredEvent], bool]:
        """The stored events matching a log filter (the live log's syntax), oldest first, and
        whether the scan stopped at its cap. Safe from any thread: it reads in chunks, each
        under the journal's lock, so batches are committed in between."""
        journal = self._require()
        wanted = LogFilter.parse(text)
        # Only the room narrows in SQL: words may match a summary that is not in the JSON.
        room_hint = max(wanted.rooms, key=len, default=None)
        cmd = wanted.cmds[0] if len(wanted.cmds) == 1 and not wanted.kinds else None
        decoder = EventDecoder()
        found: dict[int, StoredEvent] = {}
        seen: set[int] = set()
        until: float | None = None
        while len(seen) < SEARCH_SCAN_LIMIT and len(found) < SEARCH_MATCH_LIMIT:
            chunk = journal.query(text=room_hint, cmd=cmd, until=until, limit=SEARCH_CHUNK)
            fresh = [stored for stored in chunk if stored.id not in seen]
            if not fresh:
                return self._sorted(found), False
            for stored in fresh:
                seen.add(stored.id)
                row = LogRow(0, decoder.decode(stored.event), _EPOCH)
                if wanted.matches(row):
                    found[stored.id] = stored
            until = min(stored.fetched_at for stored in chunk)
        return self._sorted(found), True

    @staticmethod
    def _sorted(found: dict[int, StoredEvent]) -> list[StoredEvent]:
        return [found[key] for key in sorted(found)][-SEARCH_MATCH_LIMIT:]

    def audit(self, limit: int = 1000) -> list[AuditEntry]:
        return self._require().audit(limit=limit)

    def other_writer_seen(self) -> bool:
        journal = self.journal
        return journal is not None and journal.other_writer_seen()

    def _require(self) -> Journal:
        journal = self.journal
        if journal is None:
            raise JournalUnavailable(f"the journal is off: {self.off_reason or 'not open'}")
        return journal

    def _failed(self, error: JournalUnavailable) -> None:
        self.off_reason = str(error)
        self._close_journal()

    def _close_journal(self) -> None:
        journal, self.collector.journal = self.collector.journal, None
        if journal is not None:
            journal.close()

    # -- shutting down -------------------------------------------------------------------

    def shutdown(self) -> None:
        """Close the journal on its own thread after any pending work, then stop the thread."""
        self._executor.submit(self._close_journal)
        self._executor.shutdown(wait=True)
