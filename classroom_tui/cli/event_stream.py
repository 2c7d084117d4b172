"""The loop behind `classroom-tui events`: poll, write out, repeat."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from ..api import ClassroomClient, Event
from ..events import EventDecoder
from ..events.collector import EventCollector
from ..events.export import event_json_line
from ..events.ordering import Gap
from .exit_codes import EXIT_OK


@dataclass(frozen=True)
class EventStreamOptions:
    follow: bool = False
    as_json: bool = False
    interval: float = 2.0


class EventWriter:
    """Writes events as JSON Lines or readable decoded lines, flushing each batch."""

    def __init__(self, out: TextIO, as_json: bool) -> None:
        self._out = out
        self._as_json = as_json
        self._decoder = EventDecoder()

    def write(self, events: list[Event]) -> None:
        if not events:
            return
        now = datetime.now()
        if self._as_json:
            lines = [event_json_line(e) for e in events]
        else:
            lines = [self._decoder.decode(e).line(now) for e in events]
        self._out.write("\n".join(lines) + "\n")
        self._out.flush()


async def stream_events(
    client: ClassroomClient,
    options: EventStreamOptions,
    out: TextIO,
    err: TextIO,
    collector: EventCollector | None = None,
) -> int:
    """Poll until a poll comes back empty (or forever with follow). A failure ends the
    command with its exit status, after everything already received has been written."""
    writer = EventWriter(out, options.as_json)
    collector = collector if collector is not None else EventCollector(None)
    while True:
        events = await client.poll_events()
        # Journal first: committed before anything is printed and before the next poll is
        # sent. No await from here to the write: Ctrl-C cancels this task only at an await,
        # so it cannot cut a commit short or lose a batch between journal and output.
        shown = collector.accept(events)
        _report(collector, shown, err)
        writer.write([item for item in shown if isinstance(item, Event)])
        if events:
            continue
        if not options.follow:
            return EXIT_OK
        await asyncio.sleep(options.interval)


def _report(collector: EventCollector, shown: list[Event | Gap], err: TextIO) -> None:
    """Gaps, and a journal that just stopped working, go to stderr."""
    error = collector.take_journal_error()
    if error is not None:
        err.write(f"classroom-tui: warning: {error}; events are no longer journaled\n")
    for item in shown:
        if isinstance(item, Gap):
            err.write(f"classroom-tui: {item.describe()}\n")
    err.flush()
