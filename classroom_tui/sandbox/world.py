"""The sandbox's state: rooms, their class and recording state machines, their recordings and
the App ID's event queue. Pure Python, no HTTP; every public method takes the lock, so tests
may read a world that a server thread is changing. The clock (epoch seconds) is injectable.

Which rooms exist: the seeded world (see `seed_world`), rooms added with `add_room` (the control
API), and - when `auto_create_rooms` is on - a room the first time someone sets its class state
to 0 or 1. Setting state 2, the recording endpoints and the record list never create a room:
they answer 404/20404100 for a room that does not exist.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..api.rooms import room_uuid_problem
from .records import new_record, record_url

JsonObject = dict[str, Any]
PAGE_SIZE = 100
EVENT_VERSION = 1

ROOM_NOT_FOUND = 20404100
CLASS_ALREADY_STARTED = 30409100
CLASS_ALREADY_ENDED = 30409101
RECORDING_NOT_STARTED = 30409410
RECORDING_NOT_FINISHED = 30409411


class SandboxError(Exception):
    """An answer other than success: HTTP status, business code (None: no code), message."""

    def __init__(self, http_status: int, code: int | None, msg: str) -> None:
        super().__init__(msg)
        self.http_status = http_status
        self.code = code
        self.msg = msg


def bad_request(msg: str) -> SandboxError:
    return SandboxError(400, 400, msg)


@dataclass
class Room:
    uuid: str
    state: int = 0
    start_time: int | None = None
    sequence: int = 0
    simulated: bool = False
    person_controlled: bool = False
    records: list[JsonObject] = field(default_factory=list)
    record_index: dict[str, int] = field(default_factory=dict)
    recording: JsonObject | None = None

    def add_record(self, record: JsonObject) -> None:
        self.record_index[record["recordId"]] = len(self.records)
        self.records.append(record)


@dataclass
class _Queued:
    at: float
    event: JsonObject


class World:
    def __init__(
        self,
        app_id: str,
        *,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        batch_size: int = 100,
        retention: float = 3600.0,
        max_queue: int = 500_000,
        auto_create_rooms: bool = True,
    ) -> None:
        self.app_id = app_id
        self.seed = seed
        self.clock = clock
        self.batch_size = batch_size
        self.retention = retention
        self.max_queue = max_queue
        self.auto_create_rooms = auto_create_rooms
        self.lock = threading.RLock()
        self.rooms: dict[str, Room] = {}
        self.ids = random.Random(f"ids:{seed}")
        self._queue: deque[_Queued] = deque()
        self.generated = 0
        self.handed_out = 0
        self.handed_out_by_room: Counter[str] = Counter()
        self.dropped_gap = 0
        self.reordered_batches = 0
        self.expired = 0
        self.overflowed = 0
        self.requests_by_status: Counter[str] = Counter()
        self.faults_by_kind: Counter[str] = Counter()

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- rooms ------------------------------------------------------------------------------

    def add_room(
        self, uuid: str, *, state: int = 0, records: int = 0, simulated: bool = False
    ) -> Room:
        problem = room_uuid_problem(uuid)
        if problem is not None:
            raise bad_request(problem)
        if state not in (0, 1, 2):
            raise bad_request(f"class state {state} is not 0, 1 or 2")
        with self.lock:
            if uuid in self.rooms:
                raise SandboxError(409, None, f"room {uuid!r} already exists")
            room = Room(uuid=uuid, state=state, simulated=simulated)
            if state == 1:
                room.start_time = self.now_ms()
            self.rooms[uuid] = room
            self.seed_records(room, records, random.Random(f"records:{self.seed}:{uuid}"))
            return room

    def room(self, uuid: str) -> Room:
        with self.lock:
            room = self.rooms.get(uuid)
            if room is None:
                raise SandboxError(404, ROOM_NOT_FOUND, "room not found")
            return room

    def seed_records(self, room: Room, count: int, rng: random.Random) -> None:
        """Add `count` finished recordings, oldest first, spread over the past weeks."""
        now = self.now_ms()
        start = now - count * 3_600_000 - 86_400_000
        for _ in range(count):
            start += rng.randint(1_800_000, 3_600_000)
            length = rng.randint(600_000, 3_300_000)
            record = new_record(self.app_id, room.uuid, start, rng)
            record.update(status=2, endTime=start + length, url=record_url(self.app_id, record))
            room.add_record(record)

    # -- the state machines -----------------------------------------------------------------

    def set_class_state(self, uuid: str, state: int, *, by_person: bool = True) -> None:
        if state not in (0, 1, 2):
            raise bad_request(f"class state {state} is not 0, 1 or 2")
        with self.lock:
            room = self.rooms.get(uuid)
            if room is None:
                if not (self.auto_create_rooms and by_person and state in (0, 1)):
                    raise SandboxError(404, ROOM_NOT_FOUND, "room not found")
                room = self.rooms[uuid] = Room(uuid=uuid)
            if by_person:
                room.person_controlled = True
            if room.state == 2:
                raise SandboxError(409, CLASS_ALREADY_ENDED, "class already ended")
            if room.state == 1 and state != 2:
                raise SandboxError(409, CLASS_ALREADY_STARTED, "class already started")
            if room.state == state:
                return
            now = self.now_ms()
            if state == 1:
                room.start_time = now
            if state == 2 and room.recording is not None:
                self._stop_recording(room, 2)
            room.state = state
            self.emit(room, 1, {"state": state, "startTime": room.start_time or now})

    def set_recording_state(self, uuid: str, action: int, *, by_person: bool = True) -> None:
        if action not in (0, 1, 2):
            raise bad_request(f"recording state {action} is not 1 (start), 2 or 0 (stop)")
        with self.lock:
            room = self.room(uuid)
            if by_person:
                room.person_controlled = True
            if action == 1:
                if room.recording is not None:
                    raise SandboxError(409, RECORDING_NOT_FINISHED, "recording not finished")
                record = new_record(self.app_id, room.uuid, self.now_ms(), self.ids)
                room.add_record(record)
                room.recording = record
                data = {"state": 1, "startTime": record["startTime"]}
                data.update({k: record[k] for k in ("recordId", "sid", "resourceId")})
                self.emit(room, 1001, data)
            else:
                if room.recording is None:
                    raise SandboxError(409, RECORDING_NOT_STARTED, "recording not started")
                self._stop_recording(room, action)

    def _stop_recording(self, room: Room, state: int) -> None:
        record = room.recording
        assert record is not None
        record.update(status=2, endTime=self.now_ms(), url=record_url(self.app_id, record))
        room.recording = None
        self.emit(room, 1001, {"state": state, "startTime": record["startTime"]})

    def list_records(self, uuid: str, next_id: str | None) -> JsonObject:
        with self.lock:
            room = self.room(uuid)
            start = 0
            if next_id not in (None, "", "null"):
                position = room.record_index.get(next_id or "")
                if position is None:
                    raise bad_request("nextId is not a page token of this room")
                start = position
            page = [dict(r) for r in room.records[start : start + PAGE_SIZE]]
            end = start + len(page)
            following = room.records[end]["recordId"] if end < len(room.records) else None
            return {
                "total": len(room.records),
                "count": len(page),
                "nextId": following,
                "list": page,
            }

    # -- events ---------------------------------------------------------------------------

    def emit(self, room: Room, cmd: int, data: JsonObject) -> JsonObject:
        with self.lock:
            room.sequence += 1
            event = {
                "roomUuid": room.uuid,
                "cmd": cmd,
                "sequence": room.sequence,
                "version": EVENT_VERSION,
                "data": data,
            }
            self._enqueue(event)
            return event

    def enqueue_raw(self, events: Iterable[JsonObject]) -> int:
        """Queue events as given (a missing sequence gets the room's next one)."""
        count = 0
        with self.lock:
            for raw in events:
                event = dict(raw)
                uuid = event.get("roomUuid")
                room = self.rooms.get(uuid) if isinstance(uuid, str) else None
                if "sequence" not in event:
                    if room is not None:
                        room.sequence += 1
                    event["sequence"] = room.sequence if room is not None else 1
                event.setdefault("version", EVENT_VERSION)
                event.setdefault("data", {})
                self._enqueue(event)
                count += 1
        return count

    def _enqueue(self, event: JsonObject) -> None:
        self.generated += 1
        self._queue.append(_Queued(self.clock(), event))
        if len(self._queue) > self.max_queue:
            self._queue.popleft()
            self.overflowed += 1

    def expire(self) -> None:
        with self.lock:
            limit = self.clock() - self.retention
            while self._queue and self._queue[0].at < limit:
                self._queue.popleft()
                self.expired += 1

    def poll(
        self,
        *,
        rng: random.Random | None = None,
        gap: float = 0.0,
        reorder: float = 0.0,
    ) -> list[JsonObject]:
        """Hand out up to `batch_size` events, oldest first; each is handed out once."""
        with self.lock:
            self.expire()
            batch: list[JsonObject] = []
            while self._queue and len(batch) < self.batch_size:
                event = self._queue.popleft().event
                if gap and rng is not None and rng.random() < gap:
                    self.dropped_gap += 1
                    self.faults_by_kind["gap"] += 1
                    continue
                batch.append(event)
            if reorder and rng is not None and batch and rng.random() < reorder:
                _shuffle_within_rooms(batch, rng)
                self.reordered_batches += 1
                self.faults_by_kind["reorder"] += 1
            self.handed_out += len(batch)
            for event in batch:
                self.handed_out_by_room[str(event.get("roomUuid"))] += 1
            return batch

    @property
    def queued(self) -> int:
        with self.lock:
            return len(self._queue)

    def stats(self) -> JsonObject:
        with self.lock:
            return {
                "generated": self.generated,
                "queued": len(self._queue),
                "handedOut": self.handed_out,
                "handedOutByRoom": dict(self.handed_out_by_room),
                "droppedByGap": self.dropped_gap,
                "reorderedBatches": self.reordered_batches,
                "expired": self.expired,
                "overflowed": self.overflowed,
                "requestsByStatus": {str(k): v for k, v in sorted(self.requests_by_status.items())},
                "faultsByKind": dict(self.faults_by_kind),
                "rooms": len(self.rooms),
            }

    def room_summaries(self) -> list[JsonObject]:
        with self.lock:
            return [
                {
                    "roomUuid": r.uuid,
                    "state": r.state,
                    "recording": r.recording is not None,
                    "records": len(r.records),
                    "sequence": r.sequence,
                    "simulated": r.simulated,
                }
                for r in self.rooms.values()
            ]


def _shuffle_within_rooms(batch: list[JsonObject], rng: random.Random) -> None:
    positions: dict[str, list[int]] = {}
    for index, event in enumerate(batch):
        positions.setdefault(str(event.get("roomUuid")), []).append(index)
    for indexes in positions.values():
        events = [batch[i] for i in indexes]
        rng.shuffle(events)
        for i, event in zip(indexes, events, strict=True):
            batch[i] = event
