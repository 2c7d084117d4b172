"""Time bounds typed by people, and gaps placed among history lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from classroom_tui.events.journal_models import StoredEvent, StoredGap
from classroom_tui.events.journal_query import interleave_gaps, like_pattern, parse_time_bound

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1w", 604800), (" 1.5H ", 5400)],
)
def test_durations_count_back_from_now(text: str, seconds: float) -> None:
    assert parse_time_bound(text, NOW) == NOW - seconds


def test_iso_times_with_and_without_offset() -> None:
    assert (
        parse_time_bound("2024-05-01T14:00:00+00:00", NOW)
        == datetime(2024, 5, 1, 14, tzinfo=UTC).timestamp()
    )
    assert (
        parse_time_bound("2024-05-01T14:00Z", NOW)
        == datetime(2024, 5, 1, 14, tzinfo=UTC).timestamp()
    )
    # Without an offset it is local time.
    assert parse_time_bound("2024-05-01 14:00", NOW) == datetime(2024, 5, 1, 14).timestamp()
    assert parse_time_bound("2024-05-01", NOW) == datetime(2024, 5, 1).timestamp()


@pytest.mark.parametrize("text", ["", "yesterday", "2h ago", "-5m", "10", "2024-13-01", "5y"])
def test_bad_bounds_raise_a_clear_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time: use a duration such as 30m"):
        parse_time_bound(text, NOW)


def test_like_pattern_escapes_wildcards() -> None:
    assert like_pattern("50%_\\") == "%50\\%\\_\\\\%"


def stored(id_: int, room: str, sequence: int, at: float) -> StoredEvent:
    raw = {"roomUuid": room, "cmd": 3, "sequence": sequence, "version": 1, "data": {}}
    return StoredEvent(id_, "app", room, 3, sequence, 1, at, raw, history=True)


def test_gap_goes_before_the_event_that_revealed_it_else_by_time() -> None:
    events = [stored(1, "a", 1, 10.0), stored(2, "b", 5, 10.0), stored(3, "a", 4, 20.0)]
    revealed = StoredGap(1, "a", 2, 3, 20.0)
    orphan = StoredGap(2, "c", 8, 9, 15.0)
    late = StoredGap(3, "d", 1, 1, 99.0)
    merged = interleave_gaps(events, [late, revealed, orphan])
    assert merged == [events[0], events[1], orphan, revealed, events[2], late]


def test_interleave_without_events_keeps_gaps() -> None:
    gap = StoredGap(1, "a", 2, 3, 20.0)
    assert interleave_gaps([], [gap]) == [gap]
