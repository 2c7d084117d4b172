"""The journal's row-level SQL, kept apart from the Journal's locking and transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..api.models import Event
from .journal_models import StoredEvent
from .ordering import Gap

PRUNE_CHUNK_MAX = 5000


_INSERT_EVENT = (
    "INSERT INTO events (app_id, room, cmd, sequence, version, fetched_at, raw)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room, sequence) DO NOTHING"
)


def insert_events(
    conn: sqlite3.Connection, app_id: str, events: Sequence[Event], when: float
) -> list[Event]:
    """Store the events whose (room, sequence) is not there yet; return those stored.

    One executemany for the batch (a statement per event costs more than the commit). When
    some were already there, the rows added by this call are the ones above the previous
    highest id (ids grow by one per insert), which tells which events they were."""
    if not events:
        return []
    (newest,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()
    before = conn.total_changes
    conn.executemany(
        _INSERT_EVENT,
        [
            (
                app_id,
                event.room_uuid,
                event.cmd,
                event.sequence,
                event.version,
                when,
                event.json_line(),
            )
            for event in events
        ],
    )
    if conn.total_changes - before == len(events):
        return list(events)
    added = set(conn.execute("SELECT room, sequence FROM events WHERE id > ?", (newest,)))
    stored: list[Event] = []
    for event in events:
        key = (event.room_uuid, event.sequence)
        if key in added:  # the first of repeats within the batch is the one stored
            added.discard(key)
            stored.append(event)
    return stored


def beat(conn: sqlite3.Connection, writer: str, pid: int, now: float) -> None:
    conn.execute(
        "INSERT INTO writers (writer, pid, started_at, heartbeat) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (writer) DO UPDATE SET heartbeat = excluded.heartbeat",
        (writer, pid, now, now),
    )
    # Rows of writers that crashed long ago are of no use to anyone.
    conn.execute("DELETE FROM writers WHERE heartbeat < ?", (now - 86400,))


def delete_older_than(conn: sqlite3.Connection, cutoff: float) -> int:
    count = 0
    for table, column in (("events", "fetched_at"), ("gaps", "noticed_at"), ("audit", "at")):
        count += conn.execute(f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount
    return count


def insert_gap(conn: sqlite3.Connection, gap: Gap, when: float) -> None:
    conn.execute(
        "INSERT INTO gaps (room, first_missing, last_missing, noticed_at) VALUES (?, ?, ?, ?)",
        (gap.room, gap.first_missing, gap.last_missing, when),
    )


def bump(conn: sqlite3.Connection, name: str, amount: int) -> None:
    conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
        (name, amount),
    )


def stored_event(row: tuple[Any, ...]) -> StoredEvent:
    id_, app_id, room, cmd, sequence, version, fetched_at, raw = row
    return StoredEvent(
        id=id_,
        app_id=app_id,
        room=room,
        cmd=cmd,
        sequence=sequence,
        version=version,
        fetched_at=fetched_at,
        raw=json.loads(raw),
        history=True,
    )


def used_bytes(conn: sqlite3.Connection) -> int:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def drop_oldest(conn: sqlite3.Connection) -> int:
    total = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    if not total:
        return 0
    chunk = min(PRUNE_CHUNK_MAX, max(1, total // 10))
    removed = conn.execute(
        "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)", (chunk,)
    ).rowcount
    oldest = conn.execute("SELECT MIN(fetched_at) FROM events").fetchone()[0]
    if oldest is None:
        removed += conn.execute("DELETE FROM gaps").rowcount
    else:
        removed += conn.execute("DELETE FROM gaps WHERE noticed_at < ?", (oldest,)).rowcount
    return int(removed)


def compact(conn: sqlite3.Connection) -> None:
    # executescript steps the pragma to the end; execute() would free a single page.
    conn.executescript("PRAGMA incremental_vacuum;")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
