"""EventCollector: journal first (one transaction, gaps included), then display order."""

from __future__ import annotations

from pathlib import Path

from classroom_tui.api import Event
from classroom_tui.events.collector import EventCollector
from classroom_tui.events.journal import Journal
from classroom_tui.events.ordering import Gap


def ev(room: str, sequence: int) -> Event:
    return Event.from_json(
        {"roomUuid": room, "cmd": 3, "sequence": sequence, "version": 1, "data": {}}
    )


def shown_keys(items: list[Event | Gap]) -> list[object]:
    return [i if isinstance(i, Gap) else (i.room_uuid, i.sequence) for i in items]


def test_batch_is_journaled_in_display_order_with_its_gaps(tmp_path: Path) -> None:
    with Journal.open("app", tmp_path / "j.sqlite3") as journal:
        collector = EventCollector.resume(journal)
        shown = collector.accept([ev("a", 1), ev("b", 2), ev("a", 4), ev("b", 1)], 100.0)
        assert shown_keys(shown) == [("a", 1), ("b", 1), Gap("a", 2, 3), ("a", 4), ("b", 2)]
        stored = [(s.room, s.sequence, s.fetched_at) for s in journal.recent(10)]
        assert stored == [("a", 1, 100.0), ("b", 1, 100.0), ("a", 4, 100.0), ("b", 2, 100.0)]
        assert [(g.room, g.first_missing, g.last_missing) for g in journal.gaps()] == [("a", 2, 3)]


def test_restart_resumes_sequences_from_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open("app", path) as journal:
        EventCollector.resume(journal).accept([ev("a", 1), ev("a", 2)])
    with Journal.open("app", path) as journal:
        collector = EventCollector.resume(journal)
        shown = collector.accept([ev("a", 2), ev("a", 5)])
        assert shown_keys(shown) == [Gap("a", 3, 4), ("a", 5)]
        assert collector.duplicates == 1
        assert journal.stats().duplicates == 1
        assert [s.sequence for s in journal.recent(10)] == [1, 2, 5]


def test_without_a_journal_it_only_orders() -> None:
    collector = EventCollector(None)
    assert shown_keys(collector.accept([ev("a", 2), ev("a", 1)])) == [("a", 1), ("a", 2)]
    assert collector.take_journal_error() is None


def test_late_event_is_stored_even_though_it_fills_a_gap(tmp_path: Path) -> None:
    with Journal.open("app", tmp_path / "j.sqlite3") as journal:
        collector = EventCollector.resume(journal)
        collector.accept([ev("a", 1), ev("a", 3)])
        assert shown_keys(collector.accept([ev("a", 2)])) == [("a", 2)]
        assert sorted(s.sequence for s in journal.recent(10)) == [1, 2, 3]
        assert journal.gaps()[0].describe() == "gap: a missing 2 (1 arrived later)"
