"""The journal's tables, how a connection to it is opened, and what its failures mean."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1
DEFAULT_BUSY_TIMEOUT = 2.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    app_id TEXT NOT NULL,
    room TEXT NOT NULL,
    cmd INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    version INTEGER NOT NULL,
    fetched_at REAL NOT NULL,
    raw TEXT NOT NULL,
    UNIQUE (room, sequence)
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (fetched_at);
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY,
    room TEXT NOT NULL,
    first_missing INTEGER NOT NULL,
    last_missing INTEGER NOT NULL,
    noticed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS gaps_by_time ON gaps (noticed_at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    profile TEXT NOT NULL,
    uid TEXT NOT NULL,
    room TEXT NOT NULL,
    action TEXT NOT NULL,
    http_status INTEGER,
    code INTEGER,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS writers (
    writer TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    started_at REAL NOT NULL,
    heartbeat REAL NOT NULL
);
"""


class JournalUnavailable(Exception):
    """The journal cannot be used; the message is one sentence naming the file."""


def connect(path: Path, *, read_only: bool, busy_timeout: float) -> sqlite3.Connection:
    """An open connection with the pragmas set and, unless read-only, the schema in place."""
    if read_only:
        if not path.is_file():
            raise JournalUnavailable(f"there is no event journal at {path} yet")
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout, check_same_thread=False, isolation_level=None
        )
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise JournalUnavailable(
                f"the event journal {path} cannot be created: {error.strerror or error}"
            ) from None
        conn = sqlite3.connect(
            path, timeout=busy_timeout, check_same_thread=False, isolation_level=None
        )
    try:
        _prepare(conn, path, read_only)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection, path: Path, read_only: bool) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise JournalUnavailable(
            f"the event journal {path} was written by a newer classroom-tui "
            f"(schema {version}); upgrade to read it"
        )
    if read_only:
        if version == 0:
            raise JournalUnavailable(f"{path} is not a classroom-tui event journal")
        return
    if version == 0:
        # Only takes effect on a new file; lets prune() hand freed pages back to the disk.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise JournalUnavailable(f"the event journal {path} cannot use WAL mode ({mode})")
    # FULL: a batch is on disk when append_batch returns, not merely in the OS cache.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def unavailable(error: sqlite3.Error, path: Path, doing: str) -> JournalUnavailable:
    """One sentence for an SQLite failure: what happened to which file, and what to do."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(error)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        text = f"the event journal {path} is locked by another program"
    elif primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        text = (
            f"the event journal {path} is corrupt or not a journal ({detail}); "
            "move it aside to start a new one"
        )
    elif primary == sqlite3.SQLITE_FULL:
        text = f"the disk holding the event journal {path} is full"
    elif primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        text = f"the event journal {path} is read-only"
    elif primary == sqlite3.SQLITE_CANTOPEN:
        text = f"the event journal {path} cannot be opened ({detail})"
    else:
        text = f"the event journal {path} failed while {doing} ({detail})"
    return JournalUnavailable(text)
