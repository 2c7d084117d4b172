"""Time bounds typed by people (2h, 30m, 1d, ISO times) and the WHERE clauses of queries."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .journal_models import StoredEvent, StoredGap

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_time_bound(text: str, now: float) -> float:
    """Epoch seconds for a duration back from `now` (45s, 30m, 2h, 1d, 1w) or an ISO time
    (2024-05-01, 2024-05-01T14:00, ...+02:00; without an offset it is local time)."""
    match = _DURATION.match(text)
    if match:
        amount, unit = float(match.group(1)), match.group(2).lower()
        return now - amount * _SECONDS[unit]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time: use a duration such as 30m, 2h or 1d, "
            "or an ISO time such as 2024-05-01T14:00"
        ) from None
    return moment.timestamp()


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def event_filter(
    *,
    room: str | None = None,
    cmd: int | None = None,
    since: float | None = None,
    until: float | None = None,
    text: str | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (possibly empty) and its parameters for the events table."""
    clauses: list[str] = []
    params: list[Any] = []
    if room is not None:
        clauses.append("room = ?")
        params.append(room)
    if cmd is not None:
        clauses.append("cmd = ?")
        params.append(cmd)
    if since is not None:
        clauses.append("fetched_at >= ?")
        params.append(since)
    if until is not None:
        clauses.append("fetched_at <= ?")
        params.append(until)
    if text:
        clauses.append("raw LIKE ? ESCAPE '\\'")
        params.append(like_pattern(text))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def time_filter(
    column: str, *, room: str | None, since: float | None, until: float | None = None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if room is not None:
        clauses.append("room = ?")
        params.append(room)
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until is not None:
        clauses.append(f"{column} <= ?")
        params.append(until)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def interleave_gaps(
    events: Sequence[StoredEvent], gaps: Sequence[StoredGap]
) -> list[StoredEvent | StoredGap]:
    """The events with each gap placed just before the event that revealed it (the next
    sequence of its room), or, if that event is not among them, by the time it was noticed."""
    revealing: dict[tuple[str, int], list[StoredGap]] = {}
    for gap in gaps:
        revealing.setdefault((gap.room, gap.last_missing + 1), []).append(gap)
    revealed: dict[int, list[StoredGap]] = {}
    for index, event in enumerate(events):
        found = revealing.pop((event.room, event.sequence), None)
        if found:
            revealed[index] = found
    by_time: dict[int, list[StoredGap]] = {}
    times = [event.fetched_at for event in events]
    for gap in sorted((g for group in revealing.values() for g in group), key=lambda g: g.id):
        by_time.setdefault(bisect.bisect_left(times, gap.noticed_at), []).append(gap)
    merged: list[StoredEvent | StoredGap] = []
    for index, event in enumerate(events):
        merged.extend(by_time.get(index, ()))
        merged.extend(revealed.get(index, ()))
        merged.append(event)
    merged.extend(by_time.get(len(events), ()))
    return merged
