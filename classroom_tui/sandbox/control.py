"""The control API under `/_sandbox/` (same uid/token headers as the service; never faulted):

- `GET  /_sandbox/stats`       counters: events generated/queued/handed out (total, per room),
                               dropped by the gap fault, expired; requests by status; faults by kind
- `GET  /_sandbox/rooms`       every room with its class state, recording flag, record count
- `PUT  /_sandbox/faults`      `{"spec": "error500=0.1,..."}` replaces the fault spec
- `POST /_sandbox/events`      `{"events": [{roomUuid, cmd, data, sequence?, version?}, ...]}`
- `POST /_sandbox/rooms`       `{"rooms": [{"roomUuid": str, "records": int, "state": 0|1|2}]}`
- `POST /_sandbox/flood`       `{"count": N}` generates N simulated events at once
- `PUT  /_sandbox/simulation`  `{"rate": events_per_second}`
Answers use the service envelope; bad bodies get 400/400.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .faults import FaultSpec
from .world import bad_request

if TYPE_CHECKING:
    from .app import SandboxApp

MAX_FLOOD = 1_000_000


async def handle_control(sandbox: SandboxApp, request: Request, path: list[str]) -> Response:
    from .app import envelope

    world = sandbox.world
    key = (request.method, "/".join(path))
    if key == ("GET", "stats"):
        stats = world.stats()
        stats["faults"] = sandbox.faults.to_spec()
        stats["rate"] = sandbox.simulation.rate
        return envelope(world, stats)
    if key == ("GET", "rooms"):
        return envelope(world, world.room_summaries())
    if key not in _BODY_ROUTES:
        return JSONResponse({"message": "Not Found"}, status_code=404)
    body = await _json_body(request)
    if key == ("PUT", "faults"):
        spec = body.get("spec")
        if not isinstance(spec, str):
            raise bad_request("the body needs a string 'spec'")
        try:
            sandbox.set_faults(FaultSpec.parse(spec))
        except ValueError as error:
            raise bad_request(str(error)) from None
        return envelope(world, {"faults": sandbox.faults.to_spec()})
    if key == ("POST", "events"):
        events = body.get("events")
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise bad_request("the body needs 'events': a list of objects")
        return envelope(world, {"queued": world.enqueue_raw(events)})
    if key == ("POST", "rooms"):
        return envelope(world, {"created": _create_rooms(sandbox, body)})
    if key == ("POST", "flood"):
        count = body.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_FLOOD:
            raise bad_request(f"'count' must be an integer within 0-{MAX_FLOOD}")
        return envelope(world, {"generated": sandbox.simulation.generate(count)})
    rate = body.get("rate")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not math.isfinite(rate):
        raise bad_request("'rate' must be a number of events per second")
    if rate < 0:
        raise bad_request("'rate' must not be negative")
    sandbox.simulation.rate = float(rate)
    return envelope(world, {"rate": float(rate)})


_BODY_ROUTES = {
    ("PUT", "faults"),
    ("POST", "events"),
    ("POST", "rooms"),
    ("POST", "flood"),
    ("PUT", "simulation"),
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw) if raw else {}
    except (ValueError, UnicodeDecodeError):
        raise bad_request("the body is not JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def _create_rooms(sandbox: SandboxApp, body: dict[str, Any]) -> list[str]:
    rooms = body.get("rooms")
    if not isinstance(rooms, list) or not all(isinstance(r, dict) for r in rooms):
        raise bad_request("the body needs 'rooms': a list of objects")
    created = []
    for item in rooms:
        uuid = item.get("roomUuid")
        records = item.get("records", 0)
        state = item.get("state", 0)
        if not isinstance(uuid, str):
            raise bad_request("each room needs a string 'roomUuid'")
        if not _is_int(records) or not 0 <= records <= 100_000:
            raise bad_request("'records' must be an integer within 0-100000")
        if not _is_int(state):
            raise bad_request("'state' must be 0, 1 or 2")
        sandbox.world.add_room(uuid, records=records, state=state)
        created.append(uuid)
    return created
