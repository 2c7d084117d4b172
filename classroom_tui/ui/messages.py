"""Messages the console's parts send each other, named for what already happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.message import Message

from ..api import ClassroomError, Event


@dataclass
class EventsFetched(Message):
    """A poll answered: `events` (possibly none) arrived after `latency` seconds."""

    events: Sequence[Event]
    latency: float


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
