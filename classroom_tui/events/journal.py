"""The durable event journal: one SQLite database (WAL) per App ID.

The service hands each event out only once, so a fetched batch is committed here, in one
transaction, before it is shown and before the next poll. All calls are serialized by a lock
so the console can use the journal from one dedicated thread while the UI loop never waits."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..api.models import Event
from ..config import data_dir as default_data_dir
from . import journal_sql as store
from .journal_models import AuditEntry, BatchResult, JournalStats, StoredEvent, StoredGap
from .journal_query import event_filter, time_filter
from .journal_schema import DEFAULT_BUSY_TIMEOUT, JournalUnavailable, connect, unavailable
from .ordering import Gap

__all__ = [
    "AuditEntry",
    "BatchResult",
    "Journal",
    "JournalStats",
    "JournalUnavailable",
    "StoredEvent",
    "StoredGap",
    "journal_path",
]

T = TypeVar("T")

# A writer whose heartbeat is older than this is taken to be gone (crashed or closed).
WRITER_FRESH_SECONDS = 60.0
HEARTBEAT_EVERY = 10.0

_EVENT_COLUMNS = "id, app_id, room, cmd, sequence, version, fetched_at, raw"
_AUDIT_COLUMNS = "id, at, profile, uid, room, action, http_status, code, outcome"


def journal_path(app_id: str, data_dir: Path | None = None) -> Path:
    """The journal file of an App ID: a readable, filesystem-safe prefix plus a hash, so that
    any App ID (slashes, dots, unicode) maps to exactly one file."""
    base = data_dir if data_dir is not None else default_data_dir()
    readable = re.sub(r"[^A-Za-z0-9_-]", "_", app_id)[:40] or "app"
    digest = hashlib.sha256(app_id.encode("utf-8")).hexdigest()[:12]
    return base / "journals" / f"{readable}-{digest}.sqlite3"


class Journal:
    def __init__(self, conn: sqlite3.Connection, path: Path, app_id: str, read_only: bool) -> None:
        self.path = path
        self.app_id = app_id
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._writer = None if read_only else uuid.uuid4().hex
        self._last_heartbeat = 0.0

    @classmethod
    def open(
        cls,
        app_id: str,
        path: Path | None = None,
        *,
        read_only: bool = False,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> Journal:
        """Open (creating unless read_only) the journal; JournalUnavailable if it cannot be."""
        path = path if path is not None else journal_path(app_id)
        try:
            conn = connect(path, read_only=read_only, busy_timeout=busy_timeout)
        except sqlite3.Error as error:
            raise unavailable(error, path, "opening it") from None
        journal = cls(conn, path, app_id, read_only)
        if not read_only:
            try:
                journal._write("registering this writer", journal._heartbeat)
            except JournalUnavailable:
                journal.close()
                raise
        return journal

    # -- writing -------------------------------------------------------------------------

    def append_batch(
        self, events: Sequence[Event], fetched_at: float | None = None, *, gaps: Sequence[Gap] = ()
    ) -> BatchResult:
        """Store a batch (and the gaps noticed in it) in one transaction, committed to disk
        before returning. An event whose (room, sequence) is already stored is counted."""
        now = time.time()
        when = now if fetched_at is None else fetched_at
        if not events and not gaps and now - self._last_heartbeat < HEARTBEAT_EVERY:
            return BatchResult(stored=[], duplicates=0)

        def work(conn: sqlite3.Connection) -> BatchResult:
            stored = store.insert_events(conn, self.app_id, events, when)
            duplicates = len(events) - len(stored)
            if duplicates:
                store.bump(conn, "duplicates", duplicates)
            for gap in gaps:
                store.insert_gap(conn, gap, when)
            if now - self._last_heartbeat >= HEARTBEAT_EVERY:
                self._heartbeat(conn)
            return BatchResult(stored=stored, duplicates=duplicates)

        return self._write("storing a batch", work)

    def record_gap(
        self, room: str, first_missing: int, last_missing: int, noticed_at: float | None = None
    ) -> None:
        gap = Gap(room, first_missing, last_missing)
        when = time.time() if noticed_at is None else noticed_at
        self._write("recording a gap", lambda conn: store.insert_gap(conn, gap, when))

    def record_action(
        self,
        *,
        profile: str,
        uid: str,
        room: str,
        action: str,
        http_status: int | None,
        code: int | None,
        outcome: str,
        at: float | None = None,
    ) -> None:
        """One line of the audit trail: a state change sent, and how the service answered."""
        when = time.time() if at is None else at
        row = (when, profile, uid, room, action, http_status, code, outcome)
        self._write(
            "recording an action",
            lambda conn: conn.execute(
                "INSERT INTO audit (at, profile, uid, room, action, http_status, code, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            ),
        )

    def prune(self, *, max_age_days: float | None = 30, max_bytes: int | None = None) -> int:
        """Drop what is older than max_age_days, then the oldest events until the data fits
        in max_bytes. Works in small transactions so a writer is never held up for long.
        Returns the number of rows removed."""
        removed = 0
        if max_age_days is not None:
            cutoff = time.time() - max_age_days * 86400

            removed += self._write(
                "pruning old events", lambda conn: store.delete_older_than(conn, cutoff)
            )
        if max_bytes is not None:
            while self._read("measuring", store.used_bytes) > max_bytes:
                chunk = self._write("pruning for size", store.drop_oldest)
                if not chunk:
                    break
                removed += chunk
        self._read("compacting", store.compact)
        return removed

    # -- reading -------------------------------------------------------------------------

    def recent(self, limit: int) -> list[StoredEvent]:
        """The newest `limit` events, oldest first."""
        return self.query(limit=limit)

    def query(
        self,
        *,
        room: str | None = None,
        cmd: int | None = None,
        since: float | None = None,
        until: float | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Matching events in the order they were stored; with a limit, the newest ones.
        `text` matches anywhere in the event's JSON (names, messages, ids)."""
        where, params = event_filter(room=room, cmd=cmd, since=since, until=until, text=text)
        sql = f"SELECT {_EVENT_COLUMNS} FROM events{where} ORDER BY id"
        if limit is not None:
            sql += " DESC LIMIT ?"
            params.append(max(0, limit))
        rows = self._read("reading events", lambda c: c.execute(sql, params).fetchall())
        if limit is not None:
            rows.reverse()
        return [store.stored_event(row) for row in rows]

    def gaps(
        self,
        *,
        room: str | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> list[StoredGap]:
        """Recorded gaps, oldest first, each with how many of its events arrived later."""
        where, params = time_filter("noticed_at", room=room, since=since, until=until)
        sql = (
            "SELECT id, room, first_missing, last_missing, noticed_at, (SELECT COUNT(*) FROM"
            " events e WHERE e.room = gaps.room AND e.sequence BETWEEN gaps.first_missing AND"
            f" gaps.last_missing) FROM gaps{where} ORDER BY id"
        )
        rows = self._read("reading gaps", lambda c: c.execute(sql, params).fetchall())
        return [StoredGap(*row) for row in rows]

    def last_sequences(self) -> dict[str, int]:
        sql = "SELECT room, MAX(sequence) FROM events GROUP BY room"
        rows = self._read("reading sequences", lambda c: c.execute(sql).fetchall())
        return {room: sequence for room, sequence in rows}

    def audit(
        self, *, room: str | None = None, since: float | None = None, limit: int | None = None
    ) -> list[AuditEntry]:
        """Audit entries oldest first; with a limit, the newest ones."""
        where, params = time_filter("at", room=room, since=since)
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit{where} ORDER BY id"
        if limit is not None:
            sql += " DESC LIMIT ?"
            params.append(max(0, limit))
        rows = self._read("reading the audit trail", lambda c: c.execute(sql, params).fetchall())
        if limit is not None:
            rows.reverse()
        return [AuditEntry(*row) for row in rows]

    def other_writer_seen(self, within: float = WRITER_FRESH_SECONDS) -> bool:
        """Whether another process (or another Journal object) writing this journal has been
        alive within the last `within` seconds: two pollers of one App ID split the stream."""
        sql = "SELECT 1 FROM writers WHERE writer IS NOT ? AND heartbeat >= ? LIMIT 1"
        params = (self._writer, time.time() - within)
        row = self._read("looking for writers", lambda c: c.execute(sql, params).fetchone())
        return row is not None

    def stats(self) -> JournalStats:
        def work(conn: sqlite3.Connection) -> tuple[int, int, int]:
            events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            gaps = conn.execute("SELECT COUNT(*) FROM gaps").fetchone()[0]
            row = conn.execute("SELECT value FROM counters WHERE name = 'duplicates'").fetchone()
            return events, gaps, row[0] if row else 0

        events, gaps, duplicates = self._read("counting", work)
        size = sum(store.file_size(Path(f"{self.path}{suffix}")) for suffix in ("", "-wal"))
        return JournalStats(events=events, gaps=gaps, duplicates=duplicates, size_bytes=size)

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            with contextlib.suppress(sqlite3.Error):
                if self._writer is not None:
                    conn.execute("DELETE FROM writers WHERE writer = ?", (self._writer,))
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------------------

    def _heartbeat(self, conn: sqlite3.Connection) -> None:
        if self._writer is None:
            return
        now = time.time()
        store.beat(conn, self._writer, os.getpid(), now)
        self._last_heartbeat = now

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalUnavailable(f"the event journal {self.path} is closed")
        return self._conn

    def _read(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            conn = self._connection()
            try:
                return work(conn)
            except sqlite3.Error as error:
                raise unavailable(error, self.path, doing) from None

    def _write(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        if self.read_only:
            raise JournalUnavailable(f"the event journal {self.path} was opened read-only")
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise unavailable(error, self.path, doing) from None
            return result
