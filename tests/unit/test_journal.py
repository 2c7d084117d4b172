"""The journal: storing batches, repeats, reading back, restart, writers, stats."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom_tui.api import Event
from classroom_tui.events.journal import Journal, journal_path
from classroom_tui.events.ordering import Gap

APP = "f0e1d2c3b4a5968778695a4b3c2d1e0f"


def ev(room: str, sequence: int, cmd: int = 3, **data: object) -> Event:
    return Event.from_json(
        {"roomUuid": room, "cmd": cmd, "sequence": sequence, "version": 2, "data": dict(data)}
    )


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(APP, tmp_path / "j.sqlite3") as opened:
        yield opened


def test_path_is_under_the_xdg_data_dir_and_safe_for_any_app_id(tmp_path: Path) -> None:
    path = journal_path("../../etc/passwd")
    assert path.is_relative_to(Path(__import__("os").environ["XDG_DATA_HOME"]))
    assert "/" not in path.name and ".." not in path.name.split("-")[0].strip("_")
    assert journal_path("a/b") != journal_path("a_b")  # sanitized alike, told apart by hash
    assert journal_path(APP, tmp_path).parent == tmp_path / "journals"


def test_default_location_is_created_on_open() -> None:
    with Journal.open(APP) as journal:
        journal.append_batch([ev("r", 1)])
    assert journal_path(APP).is_file()


def test_wal_mode_and_full_sync(journal: Journal) -> None:
    conn = sqlite3.connect(journal.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert Path(f"{journal.path}-wal").exists()


def test_batch_is_stored_with_all_columns(journal: Journal) -> None:
    result = journal.append_batch([ev("room 1", 1, message="hé")], fetched_at=1000.5)
    assert [e.sequence for e in result.stored] == [1]
    assert result.duplicates == 0
    (row,) = journal.recent(10)
    assert (row.app_id, row.room, row.cmd, row.sequence, row.version) == (APP, "room 1", 3, 1, 2)
    assert row.fetched_at == 1000.5
    assert row.raw == ev("room 1", 1, message="hé").raw
    assert row.event == ev("room 1", 1, message="hé")
    assert row.history is True


def test_duplicates_are_stored_once_and_counted(journal: Journal) -> None:
    first = journal.append_batch([ev("a", 1), ev("a", 2), ev("a", 2)])
    assert (len(first.stored), first.duplicates) == (2, 1)
    again = journal.append_batch([ev("a", 1), ev("b", 1)])
    assert [(e.room_uuid, e.sequence) for e in again.stored] == [("b", 1)]
    assert again.duplicates == 1
    assert [(s.room, s.sequence) for s in journal.recent(10)] == [("a", 1), ("a", 2), ("b", 1)]
    assert journal.stats().duplicates == 2


def test_a_failing_batch_leaves_nothing_behind(journal: Journal) -> None:
    journal.append_batch([ev("a", 1)])
    unserializable = Event("a", 3, 3, 1, {}, raw={"roomUuid": "a", "data": {1, 2}})
    with pytest.raises(TypeError):
        journal.append_batch([ev("a", 2), unserializable])
    assert [s.sequence for s in journal.recent(10)] == [1]
    # The journal is still usable afterwards.
    journal.append_batch([ev("a", 2)])
    assert [s.sequence for s in journal.recent(10)] == [1, 2]


def test_batch_is_committed_before_append_returns(journal: Journal) -> None:
    journal.append_batch([ev("a", 1), ev("a", 2)])
    other = sqlite3.connect(journal.path)
    assert other.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2
    other.close()


def test_gaps_go_in_the_same_transaction_and_record_gap(journal: Journal) -> None:
    journal.append_batch([ev("a", 5)], fetched_at=50.0, gaps=[Gap("a", 2, 4)])
    journal.record_gap("b", 7, 7, noticed_at=60.0)
    gaps = journal.gaps()
    assert [(g.room, g.first_missing, g.last_missing, g.noticed_at) for g in gaps] == [
        ("a", 2, 4, 50.0),
        ("b", 7, 7, 60.0),
    ]
    journal.append_batch([ev("a", 3)])
    assert journal.gaps(room="a")[0].describe() == "gap: a missing 2-4 (1 arrived later)"
    assert journal.stats().gaps == 2


def test_last_sequences_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(APP, path) as journal:
        journal.append_batch([ev("a", 3), ev("a", 9), ev("b", 4)])
    with Journal.open(APP, path) as journal:
        assert journal.last_sequences() == {"a": 9, "b": 4}
        assert len(journal.recent(10)) == 3


def test_recent_returns_the_newest_oldest_first(journal: Journal) -> None:
    journal.append_batch([ev("a", n) for n in range(1, 8)])
    assert [s.sequence for s in journal.recent(3)] == [5, 6, 7]
    assert journal.recent(0) == []


def test_query_filters(journal: Journal) -> None:
    journal.append_batch([ev("a", 1, cmd=1, state=1), ev("b", 1, message="hello Ann")], 100.0)
    journal.append_batch([ev("a", 2, message="50%_off"), ev("b", 2, cmd=20)], 200.0)
    journal.append_batch([ev("a", 3, message="late")], 300.0)

    def seqs(**kwargs: object) -> list[tuple[str, int]]:
        return [(s.room, s.sequence) for s in journal.query(**kwargs)]  # type: ignore[arg-type]

    assert seqs(room="a") == [("a", 1), ("a", 2), ("a", 3)]
    assert seqs(cmd=20) == [("b", 2)]
    assert seqs(since=200.0) == [("a", 2), ("b", 2), ("a", 3)]
    assert seqs(until=200.0) == [("a", 1), ("b", 1), ("a", 2), ("b", 2)]
    assert seqs(since=150.0, until=250.0, room="b") == [("b", 2)]
    assert seqs(text="ann") == [("b", 1)]  # case-insensitive
    assert seqs(text="%_") == [("a", 2)]  # LIKE wildcards are literal
    assert seqs(room="a", limit=2) == [("a", 2), ("a", 3)]
    assert seqs(room="nowhere") == []


def test_audit_trail(journal: Journal) -> None:
    journal.record_action(
        profile="default",
        uid="support-1",
        room="r1",
        action="class start",
        http_status=200,
        code=0,
        outcome="ok",
        at=10.0,
    )
    journal.record_action(
        profile="eu",
        uid="support-1",
        room="r2",
        action="recording stop",
        http_status=409,
        code=30409410,
        outcome="recording not started",
        at=20.0,
    )
    journal.record_action(
        profile="eu",
        uid="support-1",
        room="r2",
        action="class end",
        http_status=None,
        code=None,
        outcome="network failure",
        at=30.0,
    )
    assert [a.action for a in journal.audit()] == ["class start", "recording stop", "class end"]
    assert [a.at for a in journal.audit(room="r2")] == [20.0, 30.0]
    assert [a.at for a in journal.audit(since=15.0, limit=1)] == [30.0]
    entry = journal.audit(room="r2")[0]
    assert (entry.http_status, entry.code, entry.outcome) == (
        409,
        30409410,
        "recording not started",
    )
    data = entry.to_json()
    assert data["roomUuid"] == "r2" and data["httpStatus"] == 409 and data["code"] == 30409410


def test_prune_by_age(journal: Journal) -> None:
    old = time.time() - 31 * 86400
    journal.append_batch([ev("a", 1), ev("a", 2)], fetched_at=old, gaps=[Gap("a", 0, 0)])
    journal.append_batch([ev("a", 3)])
    journal.record_action(
        profile="p", uid="u", room="a", action="x", http_status=200, code=0, outcome="ok", at=old
    )
    assert journal.prune() == 4
    assert [s.sequence for s in journal.recent(10)] == [3]
    assert journal.gaps() == [] and journal.audit() == []
    assert journal.prune(max_age_days=None) == 0


def test_prune_by_size_keeps_the_newest(journal: Journal) -> None:
    padding = "x" * 2000
    for start in range(0, 600, 100):
        journal.append_batch([ev("a", n, message=padding) for n in range(start, start + 100)])
    before = journal.stats().size_bytes
    removed = journal.prune(max_age_days=None, max_bytes=300_000)
    remaining = [s.sequence for s in journal.recent(1000)]
    assert removed > 0 and len(remaining) == 600 - removed
    assert remaining == list(range(600 - len(remaining), 600))  # the oldest went first
    assert journal.stats().size_bytes <= 300_000 < before


def test_other_writer_seen_between_two_journal_objects(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    first = Journal.open(APP, path)
    assert not first.other_writer_seen()
    second = Journal.open(APP, path)
    assert first.other_writer_seen() and second.other_writer_seen()
    second.close()
    assert not first.other_writer_seen()
    first.close()


def test_other_writer_seen_from_another_process(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(APP, path) as journal:
        script = (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from classroom_tui.events.journal import Journal\n"
            "j = Journal.open(sys.argv[1], Path(sys.argv[2]))\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n"
        )
        child = subprocess.Popen(
            [sys.executable, "-c", script, APP, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdout.readline() == "open\n"
            assert journal.other_writer_seen()
        finally:
            child.kill()
            child.wait()
        # A writer that died without closing is forgotten once its heartbeat is stale.
        assert journal.other_writer_seen(within=60)
        assert not journal.other_writer_seen(within=0)


def test_read_only_journal_reads_and_is_not_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(APP, path) as writer:
        writer.append_batch([ev("a", 1)])
        with Journal.open(APP, path, read_only=True) as reader:
            assert [s.sequence for s in reader.recent(5)] == [1]
            assert reader.other_writer_seen()
            assert not writer.other_writer_seen()


def test_journal_is_usable_from_another_thread(journal: Journal) -> None:
    import threading

    errors: list[BaseException] = []

    def work(room: str) -> None:
        try:
            for n in range(1, 51):
                journal.append_batch([ev(room, n)])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(room,)) for room in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert journal.last_sequences() == {"a": 50, "b": 50}


def test_closed_journal_says_so(tmp_path: Path) -> None:
    from classroom_tui.events.journal import JournalUnavailable

    journal = Journal.open(APP, tmp_path / "j.sqlite3")
    journal.close()
    journal.close()
    with pytest.raises(JournalUnavailable, match="closed"):
        journal.recent(1)
