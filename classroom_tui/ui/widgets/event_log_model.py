"""The event log's data, without Textual: bounded rows, a filter, and pause buffering."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ...api import Event
from ...events import DecodedEvent, Gap, cmd_for_name

DEFAULT_MAX_LINES = 10_000
GAP = "gap"
SEPARATOR = "separator"
LIVE_SEPARATOR = "── live ──"


@lru_cache(maxsize=256)
def clock_text(received: datetime) -> str:
    """HH:MM:SS; a batch shares one arrival time, so a flood formats it once per batch."""
    return received.strftime("%H:%M:%S")


def note_event(room: str, sequence: int, kind: str, summary: str) -> DecodedEvent:
    """A line about the stream rather than an event (a gap, the history/live separator)."""
    return DecodedEvent(Event(room, -1, sequence, 0, {}, {}), kind, summary)


def gap_note(gap: Gap) -> DecodedEvent:
    return note_event(gap.room, gap.first_missing, GAP, gap.describe())


class LogRow:
    """One line of the log: a decoded event and when it arrived (local time). `note` is ""
    for an event, GAP or SEPARATOR for a line about the stream; `history` marks rows read
    back from the journal rather than received live.

    A row keeps the event as its JSON text, not as parsed objects: a full log is 10,000 rows,
    and a dozen dicts and lists per event made every full garbage collection in a flood take
    over 100 ms (a frozen key press). `decoded` parses it again when a row is opened."""

    __slots__ = (
        "_haystack",
        "cmd",
        "history",
        "json_text",
        "kind",
        "note",
        "received",
        "room",
        "sequence",
        "serial",
        "summary",
        "time_text",
        "version",
    )

    def __init__(
        self,
        serial: int,
        decoded: DecodedEvent,
        received: datetime,
        note: str = "",
        history: bool = False,
    ) -> None:
        event = decoded.event
        self.serial = serial
        self.received = received
        self.note = note
        self.history = history
        self.room = event.room_uuid
        self.sequence = event.sequence
        self.cmd = event.cmd
        self.version = event.version
        self.kind = decoded.kind
        self.summary = decoded.summary
        self.json_text = None if note else event.json_line()
        self.time_text = clock_text(received)
        self._haystack: str | None = None

    def __repr__(self) -> str:
        return f"LogRow({self.serial}, {self.room!r} #{self.sequence} {self.kind})"

    @property
    def decoded(self) -> DecodedEvent:
        if self.json_text is None:
            return note_event(self.room, self.sequence, self.kind, self.summary)
        raw = json.loads(self.json_text)
        data = raw.get("data") if isinstance(raw, dict) else None
        event = Event(
            self.room,
            self.cmd,
            self.sequence,
            self.version,
            data if isinstance(data, dict) else {},
            raw if isinstance(raw, dict) else {},
        )
        return DecodedEvent(event, self.kind, self.summary)

    @property
    def haystack(self) -> str:
        """The lower-cased line the filter searches; built on the first search, not per row."""
        text = self._haystack
        if text is None:
            text = f"{self.room} #{self.sequence} {self.kind} {self.summary}".lower()
            self._haystack = text
        return text

    @property
    def is_event(self) -> bool:
        return not self.note


@dataclass(frozen=True)
class LogFilter:
    """`room:NAME` (part of the room id), `kind:NAME` (a kind name or cmd number) and free
    words (each must appear in the line), all case-insensitive and all required."""

    text: str = ""
    rooms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    cmds: tuple[int, ...] = ()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> LogFilter:
        rooms: list[str] = []
        kinds: list[str] = []
        cmds: list[int] = []
        words: list[str] = []
        for token in text.split():
            key, sep, value = token.partition(":")
            key = key.lower()
            if sep and value and key == "room":
                rooms.append(value.lower())
            elif sep and value and key == "kind":
                cmd = cmd_for_name(value)
                if cmd is not None:
                    cmds.append(cmd)
                else:
                    kinds.append(value.lower())
            else:
                words.append(token.lower())
        return cls(text.strip(), tuple(rooms), tuple(kinds), tuple(cmds), tuple(words))

    @property
    def active(self) -> bool:
        return bool(self.rooms or self.kinds or self.cmds or self.words)

    def matches(self, row: LogRow) -> bool:
        if row.note == SEPARATOR:
            return True
        if self.rooms and not any(r in row.room.lower() for r in self.rooms):
            return False
        if (self.kinds or self.cmds) and not (row.cmd in self.cmds or row.kind in self.kinds):
            return False
        return all(word in row.haystack for word in self.words)


class LogBuffer:
    """Every kept row (at most `max_lines`), the filtered view shown on screen, and the rows
    that arrived while paused (also bounded), which join the view on resume."""

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES) -> None:
        self.max_lines = max(1, max_lines)
        self.rows: list[LogRow] = []
        self.view: list[LogRow] = []
        self.filter = LogFilter()
        self.paused = False
        self.pending: deque[LogRow] = deque(maxlen=self.max_lines)
        self.pending_total = 0
        self._serial = 0

    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def add(self, rows: Iterable[LogRow]) -> tuple[int, int]:
        """Add rows; returns (rows appended to the view, rows dropped from the view's front)."""
        if self.paused:
            before = len(self.pending)
            self.pending.extend(rows)
            self.pending_total += len(self.pending) - before
            return 0, 0
        return self._append(list(rows))

    def _append(self, new: list[LogRow]) -> tuple[int, int]:
        self.rows.extend(new)
        appended = [row for row in new if self.filter.matches(row)]
        self.view.extend(appended)
        dropped = 0
        excess = len(self.rows) - self.max_lines
        if excess > 0:
            del self.rows[:excess]
            oldest = self.rows[0].serial
            while dropped < len(self.view) and self.view[dropped].serial < oldest:
                dropped += 1
            del self.view[:dropped]
        return len(appended), dropped

    @property
    def new_while_paused(self) -> int:
        return len(self.pending)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> tuple[int, int]:
        self.paused = False
        pending = list(self.pending)
        self.pending.clear()
        self.pending_total = 0
        return self._append(pending)

    def set_filter(self, text: str) -> None:
        self.filter = LogFilter.parse(text)
        self.view = [row for row in self.rows if self.filter.matches(row)]
