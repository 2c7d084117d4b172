"""What the journal hands back: stored events, gaps, audit entries, counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..api.models import Event, JsonObject
from .ordering import Gap


@dataclass(frozen=True)
class StoredEvent:
    """An event as the journal keeps it. `history` is True when it was read back from the
    journal rather than received live."""

    id: int
    app_id: str
    room: str
    cmd: int
    sequence: int
    version: int
    fetched_at: float
    raw: JsonObject
    history: bool = False

    @property
    def event(self) -> Event:
        return Event.from_json(self.raw)


@dataclass(frozen=True)
class StoredGap:
    """A gap as noticed when it happened; `arrived_later` counts events that filled it since."""

    id: int
    room: str
    first_missing: int
    last_missing: int
    noticed_at: float
    arrived_later: int = 0

    @property
    def gap(self) -> Gap:
        return Gap(self.room, self.first_missing, self.last_missing)

    def describe(self) -> str:
        text = self.gap.describe()
        if self.arrived_later:
            text += f" ({self.arrived_later} arrived later)"
        return text


@dataclass(frozen=True)
class BatchResult:
    """The events of a batch that were new to the journal, and how many it already held."""

    stored: list[Event]
    duplicates: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: float
    profile: str
    uid: str
    room: str
    action: str
    http_status: int | None
    code: int | None
    outcome: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": datetime.fromtimestamp(self.at).astimezone().isoformat(timespec="milliseconds"),
            "profile": self.profile,
            "uid": self.uid,
            "roomUuid": self.room,
            "action": self.action,
            "httpStatus": self.http_status,
            "code": self.code,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class JournalStats:
    events: int
    gaps: int
    duplicates: int
    size_bytes: int
