"""Typed views of the service's answers. Parsing tolerates missing optional fields and
unknown extra ones; what the spec requires and is missing raises InvalidResponse."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from .errors import InvalidResponse

JsonObject = dict[str, Any]
_LINE_JSON = json.JSONEncoder(ensure_ascii=False)


def _line_encoder() -> Callable[[Any], str]:
    """`_LINE_JSON.encode`, with its C encoder built once: `encode` builds a new one on every
    call, which costs as much as encoding a small event. Same output byte for byte. No
    circular-reference bookkeeping (the markers dict would be state shared between the
    console's threads): events are parsed JSON, a tree; a cycle would raise RecursionError."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _LINE_JSON.encode
    encoder = make(
        None,
        _LINE_JSON.default,
        json.encoder.encode_basestring,
        None,
        _LINE_JSON.key_separator,
        _LINE_JSON.item_separator,
        False,
        False,
        True,
    )

    def encode(value: Any) -> str:
        return "".join(encoder(value, 0))

    return encode


_encode_line = _line_encoder()


class ClassState(IntEnum):
    NOT_STARTED = 0
    STARTED = 1
    ENDED = 2
    CLOSED_AFTER_OVERTIME = 3


class RecordingAction(IntEnum):
    START = 1
    STOP = 2


class RecordType(IntEnum):
    SINGLE_STREAM = 1
    COMPOSITE = 2


class RecordStatus(IntEnum):
    RECORDING = 1
    FINISHED = 2


@dataclass(frozen=True, slots=True)
class Envelope:
    """The response envelope common to every endpoint."""

    code: int
    msg: str | None
    ts: int | None
    data: Any

    @classmethod
    def from_json(cls, body: Any) -> Envelope:
        if not isinstance(body, Mapping):
            raise InvalidResponse("the body is not a JSON object")
        code = body.get("code")
        if not isinstance(code, int) or isinstance(code, bool):
            raise InvalidResponse("the body has no integer 'code'")
        msg = body.get("msg")
        ts = body.get("ts")
        return cls(
            code=code,
            msg=msg if isinstance(msg, str) else None,
            ts=ts if isinstance(ts, int) and not isinstance(ts, bool) else None,
            data=body.get("data"),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One class event. `raw` is the object exactly as the service sent it."""

    room_uuid: str
    cmd: int
    sequence: int
    version: int
    data: JsonObject
    raw: JsonObject = field(compare=False, repr=False)
    _line: str | None = field(default=None, init=False, compare=False, repr=False)

    @classmethod
    def from_json(cls, item: Any) -> Event:
        # Hot path (every event of every poll): exact type checks, which also refuse bools,
        # and no copies of the freshly parsed objects, which nothing else holds.
        if type(item) is not dict:
            if not isinstance(item, Mapping):
                raise InvalidResponse("an event is not a JSON object")
            item = dict(item)
        room = item.get("roomUuid")
        cmd = item.get("cmd")
        sequence = item.get("sequence")
        if type(cmd) is not int:
            raise InvalidResponse("an event has no integer 'cmd'")
        if type(sequence) is not int:
            raise InvalidResponse("an event has no integer 'sequence'")
        if type(room) is not str:
            raise InvalidResponse("an event has no string 'roomUuid'")
        version = item.get("version")
        data = item.get("data")
        if type(data) is not dict:
            data = dict(data) if isinstance(data, Mapping) else {}
        return cls(
            room_uuid=room,
            cmd=cmd,
            sequence=sequence,
            version=version if type(version) is int else 0,
            data=data,
            raw=item,
        )

    def to_json(self) -> JsonObject:
        """The event with the API's field names, as the service sent it."""
        return dict(self.raw)

    def json_line(self) -> str:
        """The service's object as one line of JSON. Computed once: the journal and the
        `events --json` output both write it, and encoding is a good part of their cost."""
        if self._line is None:
            object.__setattr__(self, "_line", _encode_line(self.raw))
        assert self._line is not None
        return self._line


@dataclass(frozen=True, slots=True)
class Record:
    """One recording of a room. Fields other than recordId may be missing while it runs."""

    record_id: str
    room_uuid: str | None
    app_id: str | None
    start_time: int | None
    end_time: int | None
    type: int | None
    status: int | None
    url: str | None
    raw: JsonObject = field(compare=False, repr=False)

    @classmethod
    def from_json(cls, item: Any) -> Record:
        if not isinstance(item, Mapping):
            raise InvalidResponse("a record is not a JSON object")
        record_id = item.get("recordId")
        if not isinstance(record_id, str | int) or isinstance(record_id, bool):
            raise InvalidResponse("a record has no 'recordId'")
        return cls(
            record_id=str(record_id),
            room_uuid=_opt_str(item, "roomUuid"),
            app_id=_opt_str(item, "appId"),
            start_time=_opt_int(item, "startTime"),
            end_time=_opt_int(item, "endTime"),
            type=_opt_int(item, "type"),
            status=_opt_int(item, "status"),
            url=_opt_str(item, "url"),
            raw=dict(item),
        )

    @property
    def duration_ms(self) -> int | None:
        if self.start_time is None or self.end_time is None:
            return None
        return max(0, self.end_time - self.start_time)

    def to_json(self) -> JsonObject:
        return dict(self.raw)


@dataclass(frozen=True, slots=True)
class RecordPage:
    """One page of a room's recordings. `next_id` is None on the last page."""

    total: int
    count: int
    next_id: str | None
    records: tuple[Record, ...]

    @classmethod
    def from_json(cls, data: Any) -> RecordPage:
        if not isinstance(data, Mapping):
            raise InvalidResponse("the records answer has no 'data' object")
        items = data.get("list")
        if items is None:
            items = []
        if not isinstance(items, list):
            raise InvalidResponse("the records answer's 'list' is not an array")
        records = tuple(Record.from_json(item) for item in items)
        next_id = data.get("nextId")
        total = _opt_int(data, "total")
        count = _opt_int(data, "count")
        return cls(
            total=total if total is not None else len(records),
            count=count if count is not None else len(records),
            next_id=str(next_id) if next_id not in (None, "") else None,
            records=records,
        )


def parse_events(data: Any) -> list[Event]:
    """The poll answer's data: an array of events (null or a missing array means none)."""
    if data is None:
        return []
    if isinstance(data, Mapping):
        # The parameter table calls data an object; tolerate a single event or a wrapper.
        inner = data.get("list")
        if isinstance(inner, list):
            data = inner
        elif "roomUuid" in data:
            data = [data]
        elif not data:
            return []
    if not isinstance(data, list):
        raise InvalidResponse("the events answer's 'data' is not an array")
    return [Event.from_json(item) for item in data]


def _opt_int(item: Mapping[str, Any], name: str) -> int | None:
    value = item.get(name)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _opt_str(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value is None:
        return None
    return str(value)
