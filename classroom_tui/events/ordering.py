"""Per-room ordering and gap detection. Pure: no I/O, no clock.

Within a room the service numbers events 1, 2, 3, ...; a batch may bring them out of order, a
poll may repeat one, and one may never arrive. The sequencer turns each batch into what to show:
the events sorted within their room, a Gap where numbers are missing, repeats dropped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..api.models import Event

# How many still-open gaps per room are remembered so that a late event can fill one.
MAX_OPEN_GAPS_PER_ROOM = 32


@dataclass(frozen=True, slots=True)
class Gap:
    """Sequences first_missing..last_missing of a room never arrived (so far)."""

    room: str
    first_missing: int
    last_missing: int

    @property
    def count(self) -> int:
        return self.last_missing - self.first_missing + 1

    def describe(self) -> str:
        if self.first_missing == self.last_missing:
            return f"gap: {self.room} missing {self.first_missing}"
        return f"gap: {self.room} missing {self.first_missing}-{self.last_missing}"


def sort_batch(events: Sequence[Event]) -> list[Event]:
    """The batch with each room's events sorted by sequence, keeping the rooms' positions:
    the slots a room occupies in the batch are refilled with its events in sequence order."""
    if _in_order(events):
        return list(events)
    slots: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        slots.setdefault(event.room_uuid, []).append(index)
    ordered: list[Event | None] = [None] * len(events)
    for positions in slots.values():
        members = sorted((events[i] for i in positions), key=lambda e: e.sequence)
        for position, event in zip(positions, members, strict=True):
            ordered[position] = event
    return [event for event in ordered if event is not None]


def _in_order(events: Sequence[Event]) -> bool:
    """Whether every room's events already come in rising sequence (the usual case)."""
    last: dict[str, int] = {}
    for event in events:
        room, sequence = event.room_uuid, event.sequence
        if room in last and last[room] >= sequence:
            return False
        last[room] = sequence
    return True


class RoomSequencer:
    """Remembers the last sequence shown per room (seed it from the journal after a restart)."""

    def __init__(self, last_seen: Mapping[str, int] | None = None) -> None:
        self._last: dict[str, int] = dict(last_seen or {})
        self._open: dict[str, list[tuple[int, int]]] = {}
        self.duplicates = 0
        self.gaps = 0

    def last_seen(self) -> dict[str, int]:
        return dict(self._last)

    def order(self, events: Sequence[Event]) -> list[Event | Gap]:
        return self.order_sorted(sort_batch(events))

    def order_sorted(self, events: Sequence[Event]) -> list[Event | Gap]:
        """`order` for a batch that has been through sort_batch already."""
        shown: list[Event | Gap] = []
        last_of = self._last
        for event in events:
            room, sequence = event.room_uuid, event.sequence
            last = last_of.get(room)
            if last is not None and sequence <= last:
                # A late arrival inside a gap already reported is new, not a repeat.
                if self._fill(room, sequence):
                    shown.append(event)
                else:
                    self.duplicates += 1
                continue
            if last is not None and sequence > last + 1:
                gap = Gap(room, last + 1, sequence - 1)
                self._remember(gap)
                self.gaps += 1
                shown.append(gap)
            last_of[room] = sequence
            shown.append(event)
        return shown

    def _remember(self, gap: Gap) -> None:
        ranges = self._open.setdefault(gap.room, [])
        ranges.append((gap.first_missing, gap.last_missing))
        del ranges[:-MAX_OPEN_GAPS_PER_ROOM]

    def _fill(self, room: str, sequence: int) -> bool:
        ranges = self._open.get(room)
        if not ranges:
            return False
        for index, (low, high) in enumerate(ranges):
            if low <= sequence <= high:
                rest = [
                    (lo, hi) for lo, hi in ((low, sequence - 1), (sequence + 1, high)) if lo <= hi
                ]
                ranges[index : index + 1] = rest
                return True
        return False
