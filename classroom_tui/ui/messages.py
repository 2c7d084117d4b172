"""Messages the console's parts send each other, named for what already happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.message import Message

from ..api import ClassroomError, Event
from ..events import Gap
from ..events.journal_models import StoredEvent, StoredGap


@dataclass
class EventsFetched(Message):
    """A poll answered: `events` (possibly none) arrived after `latency` seconds. `shown` is
    what to show, after the journal: in per-room order, with gaps (None: `events` as is);
    `journal_error` says why the journal just stopped, if it did."""

    events: Sequence[Event]
    latency: float
    shown: Sequence[Event | Gap] | None = None
    journal_error: str | None = None


class BatchesWaiting(Message):
    """Fetched batches wait in the app's queue (one such message at a time)."""


@dataclass
class JournalOpened(Message):
    """The journal is open (or off, and why): the history to show before the live events."""

    history: Sequence[StoredEvent | StoredGap]
    off_reason: str | None
    other_writer: bool


@dataclass
class PollFailed(Message):
    """A poll failed; the poller waits `retry_in` seconds before failure number `failures`+1."""

    error: ClassroomError
    failures: int
    retry_in: float


@dataclass
class AuthenticationRejected(Message):
    """The service answered 401: the poller stopped and wants new credentials."""

    reason: str


@dataclass
class FilterChanged(Message):
    """The user asked for a new log filter ("" shows everything)."""

    text: str
