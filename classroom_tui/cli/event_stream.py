"""The loop behind `classroom-tui events`: poll, write out, repeat."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from ..api import ClassroomClient, Event
from ..events import EventDecoder
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
            lines = [json.dumps(e.to_json(), ensure_ascii=False) for e in events]
        else:
            lines = [self._decoder.decode(e).line(now) for e in events]
        self._out.write("\n".join(lines) + "\n")
        self._out.flush()


async def stream_events(
    client: ClassroomClient, options: EventStreamOptions, out: TextIO, err: TextIO
) -> int:
    """Poll until a poll comes back empty (or forever with follow). A failure ends the
    command with its exit status, after everything already received has been written."""
    writer = EventWriter(out, options.as_json)
    while True:
        events = await client.poll_events()
        writer.write(events)
        if events:
            continue
        if not options.follow:
            return EXIT_OK
        await asyncio.sleep(options.interval)
