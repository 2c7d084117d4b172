"""Per-room ordering, gaps and repeats (pure)."""

from __future__ import annotations

from classroom_tui.api import Event
from classroom_tui.events.ordering import Gap, RoomSequencer, sort_batch


def ev(room: str, sequence: int, cmd: int = 3) -> Event:
    return Event.from_json(
        {"roomUuid": room, "cmd": cmd, "sequence": sequence, "version": 1, "data": {}}
    )


def keys(items: list[Event | Gap]) -> list[tuple[str, int] | Gap]:
    return [item if isinstance(item, Gap) else (item.room_uuid, item.sequence) for item in items]


def test_out_of_order_batch_is_sorted_within_each_room_keeping_rooms_interleaved() -> None:
    batch = [ev("a", 3), ev("b", 2), ev("a", 1), ev("b", 1), ev("a", 2)]
    assert keys(RoomSequencer().order(batch)) == [
        ("a", 1),
        ("b", 1),
        ("a", 2),
        ("b", 2),
        ("a", 3),
    ]


def test_sort_batch_keeps_every_event_even_repeats() -> None:
    batch = [ev("a", 2), ev("a", 2), ev("a", 1)]
    assert [e.sequence for e in sort_batch(batch)] == [1, 2, 2]


def test_jump_yields_gap_before_the_event() -> None:
    sequencer = RoomSequencer({"physics lab #2": 41})
    shown = sequencer.order([ev("physics lab #2", 45)])
    assert shown[0] == Gap("physics lab #2", 42, 44)
    assert keys(shown[1:]) == [("physics lab #2", 45)]
    assert shown[0].describe() == "gap: physics lab #2 missing 42-44"
    assert sequencer.gaps == 1


def test_single_missing_event_is_described_alone() -> None:
    assert Gap("r", 7, 7).describe() == "gap: r missing 7"
    assert Gap("r", 7, 9).count == 3


def test_gap_across_batches() -> None:
    sequencer = RoomSequencer()
    assert keys(sequencer.order([ev("a", 1), ev("a", 2)])) == [("a", 1), ("a", 2)]
    assert keys(sequencer.order([ev("a", 5)])) == [Gap("a", 3, 4), ("a", 5)]


def test_first_event_of_an_unknown_room_is_not_a_gap() -> None:
    # A console started mid-class first sees sequence 500: nothing was lost on our side.
    assert keys(RoomSequencer().order([ev("a", 500)])) == [("a", 500)]


def test_repeats_are_dropped_and_counted() -> None:
    sequencer = RoomSequencer({"a": 10})
    shown = sequencer.order([ev("a", 9), ev("a", 10), ev("a", 11), ev("a", 11)])
    assert keys(shown) == [("a", 11)]
    assert sequencer.duplicates == 3
    assert sequencer.last_seen() == {"a": 11}


def test_late_event_inside_a_reported_gap_is_shown_once() -> None:
    sequencer = RoomSequencer({"a": 1})
    assert keys(sequencer.order([ev("a", 5)])) == [Gap("a", 2, 4), ("a", 5)]
    assert keys(sequencer.order([ev("a", 3)])) == [("a", 3)]
    # A repeat of the late one is a repeat; the rest of the gap may still arrive.
    assert keys(sequencer.order([ev("a", 3), ev("a", 2), ev("a", 4)])) == [("a", 2), ("a", 4)]
    assert keys(sequencer.order([ev("a", 2)])) == []


def test_rooms_are_independent() -> None:
    sequencer = RoomSequencer({"a": 1, "b": 7})
    shown = sequencer.order([ev("b", 8), ev("a", 3)])
    assert keys(shown) == [("b", 8), Gap("a", 2, 2), ("a", 3)]
