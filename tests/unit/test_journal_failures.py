"""A journal that cannot be used says so in one sentence naming the file, quickly.

Tests run as root in CI, where chmod does not stop writes. The read-only cases therefore use
things that fail for root too: a path whose parent is a regular file, a directory where the
file should be, and a real SQLite read-only connection (mode=ro) whose error is translated."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from classroom_tui.api import Event
from classroom_tui.events.collector import EventCollector
from classroom_tui.events.journal import Journal, JournalUnavailable
from classroom_tui.events.journal_schema import unavailable

APP = "app-1"


def ev(room: str, sequence: int, text: str = "") -> Event:
    return Event.from_json(
        {"roomUuid": room, "cmd": 3, "sequence": sequence, "version": 1, "data": {"m": text}}
    )


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"this is not a database, just garbage bytes " * 200)
    with pytest.raises(JournalUnavailable) as caught:
        Journal.open(APP, path)
    message = str(caught.value)
    assert str(path) in message and "corrupt" in message and "\n" not in message
    assert path.read_bytes().startswith(b"this is not a database")  # left as it was


def test_locked_database_fails_fast_on_open(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(APP, path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(JournalUnavailable, match="locked by another program") as caught:
            Journal.open(APP, path, busy_timeout=0.2)
        assert time.monotonic() - started < 3
        assert str(path) in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_lock_taken_after_open_fails_the_batch_not_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(APP, path, busy_timeout=0.2)
    collector = EventCollector.resume(journal)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        shown = collector.accept([ev("a", 1)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # The batch is still handed back for display; the failure is kept to be reported once.
    assert [e.sequence for e in shown if isinstance(e, Event)] == [1]
    error = collector.take_journal_error()
    assert error is not None and "locked" in str(error)
    assert collector.take_journal_error() is None
    assert collector.journal is None
    assert [e.sequence for e in collector.accept([ev("a", 2)]) if isinstance(e, Event)] == [2]


def test_path_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(JournalUnavailable, match="cannot be created") as caught:
        Journal.open(APP, blocker / "journals" / "j.sqlite3")
    assert str(blocker) in str(caught.value)


def test_directory_where_the_file_should_be(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.mkdir()
    with pytest.raises(JournalUnavailable, match="cannot be opened") as caught:
        Journal.open(APP, path)
    assert str(path) in str(caught.value)


def test_read_only_file_error_is_named_read_only(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(APP, path).close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute("INSERT INTO counters (name, value) VALUES ('x', 1)")
    conn.close()
    message = str(unavailable(caught.value, path, "storing a batch"))
    assert message == f"the event journal {path} is read-only"


def test_read_only_journal_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(APP, path).close()
    with (
        Journal.open(APP, path, read_only=True) as journal,
        pytest.raises(JournalUnavailable, match="read-only"),
    ):
        journal.append_batch([ev("a", 1)])


def test_read_only_open_of_a_missing_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalUnavailable, match="no event journal"):
        Journal.open(APP, tmp_path / "missing.sqlite3", read_only=True)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_disk_full_rolls_the_whole_batch_back(tmp_path: Path) -> None:
    journal = Journal.open(APP, tmp_path / "j.sqlite3")
    journal.append_batch([ev("a", 1)])
    # SQLite reports a full disk when the file may not grow; cap it just above its size now.
    pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[union-attr]
    journal._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[union-attr]
    big = [ev("a", n, "x" * 3000) for n in range(2, 40)]
    with pytest.raises(JournalUnavailable, match="full") as caught:
        journal.append_batch(big)
    assert str(journal.path) in str(caught.value)
    assert [s.sequence for s in journal.recent(100)] == [1]  # not partially visible
    journal.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(APP, path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(JournalUnavailable, match="newer classroom-tui"):
        Journal.open(APP, path)


def test_some_other_sqlite_file_is_not_a_journal_for_readers(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(JournalUnavailable, match="not a classroom-tui event journal"):
        Journal.open(APP, path, read_only=True)
