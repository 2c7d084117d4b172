"""The sandbox's Starlette application: the four service endpoints (also under a region
prefix), fault injection in front of them, and the control API under `/_sandbox/`."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import importlib
import json
import random
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..api.rooms import room_uuid_problem
from .config import SandboxConfig
from .faults import FaultSpec, RequestFault
from .routing import ApiRoute, match_api, parse_state, raw_path, split_path
from .seeding import seed_world
from .simulation import TICK, Simulation
from .world import JsonObject, SandboxError, World, bad_request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_AUTHORIZATION = re.compile(r"\s*agora\s+token=(\S+)\s*", re.IGNORECASE)
HTML_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
    b"<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


class ConnectionDropped(Exception):
    """Raised after a partial answer so the server closes the connection mid-response."""


class SandboxApp:
    """State shared by the endpoints. `stopping` ends hanging requests at shutdown."""

    def __init__(self, config: SandboxConfig, world: World | None = None) -> None:
        self.stopping = threading.Event()
        self.asgi = Starlette(
            routes=[Route("/{path:path}", _Endpoint(self))], lifespan=self._lifespan
        )
        self.reset(config, world)

    def reset(self, config: SandboxConfig, world: World | None = None) -> None:
        """Start over with a fresh world (and counters, faults, simulation) for `config`."""
        self.config = config
        if world is None:
            world = World(
                config.app_id,
                seed=config.seed,
                clock=config.clock,
                batch_size=config.batch_size,
                retention=config.retention,
                max_queue=config.max_queue,
                auto_create_rooms=config.auto_create_rooms,
            )
            if config.simulated_world:
                seed_world(world)
        self.world = world
        self.simulation = Simulation(world, seed=config.seed, rate=config.rate)
        self.faults: FaultSpec = config.fault_spec
        self.fault_rng = random.Random(f"faults:{config.seed}")
        self.stream_rng = random.Random(f"stream:{config.seed}")

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(self._simulate(), name="sandbox-simulation")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _simulate(self) -> None:
        """The simulation clock: `rate` events per second in bursts, expiry once a second."""
        last = last_expiry = time.monotonic()
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            self.simulation.advance(now - last)
            last = now
            if now - last_expiry >= 1.0:
                self.world.expire()
                last_expiry = now

    def set_faults(self, spec: FaultSpec) -> None:
        with self.world.lock:
            self.faults = spec

    # -- auth -------------------------------------------------------------------------------

    def authorized(self, request: Request, app_id: str | None) -> bool:
        config = self.config
        uid = request.headers.get("x-agora-uid")
        token = request.headers.get("x-agora-token")
        if token is None:
            found = _AUTHORIZATION.fullmatch(request.headers.get("authorization", ""))
            token = found.group(1) if found else None
        if not uid or not token:
            return False
        if app_id is not None and app_id != config.app_id:
            return False
        if config.app_certificate is None:
            return _same(uid, config.uid) and _same(token, config.token)
        # Imported here: the token module is optional for a sandbox with a static token.
        try:
            rtm_token = importlib.import_module("classroom_tui.auth.rtm_token")
        except ImportError:
            return False
        try:
            rtm_token.verify_rtm_token(
                token,
                app_id=config.app_id,
                app_certificate=config.app_certificate,
                user_id=uid,
                now=config.clock(),
            )
        except ValueError:
            return False
        return True

    # -- the service endpoints ------------------------------------------------------------

    def handle(self, route: ApiRoute, query_next_id: str | None) -> JSONResponse:
        world = self.world
        if route.endpoint == "poll":
            faults = self.faults
            events = world.poll(rng=self.stream_rng, gap=faults.gap, reorder=faults.reorder)
            return envelope(world, events)
        room = _checked_room(route)
        if route.endpoint == "records":
            return envelope(world, world.list_records(room, query_next_id))
        state = parse_state(route.state)
        if route.endpoint == "class_state":
            if state is None or state > 2:
                raise bad_request(f"class state {route.state!r} is not 0, 1 or 2")
            world.set_class_state(room, state)
            return envelope(world)
        if state is None or state > 2:
            raise bad_request(f"recording state {route.state!r} is not 1 (start), 2 or 0 (stop)")
        world.set_recording_state(room, state)
        return envelope(world, with_msg=False)


def _checked_room(route: ApiRoute) -> str:
    if route.room is None:
        raise bad_request("the roomUuid is not valid UTF-8")
    problem = room_uuid_problem(route.room)
    if problem is not None:
        raise bad_request(problem)
    return route.room


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


_NO_DATA = object()


def envelope(world: World, data: Any = _NO_DATA, *, with_msg: bool = True) -> JSONResponse:
    body: JsonObject = {"code": 0}
    if with_msg:
        body["msg"] = "Success"
    body["ts"] = world.now_ms()
    if data is not _NO_DATA:
        body["data"] = data
    return JSONResponse(body)


def error_response(world: World, error: SandboxError) -> JSONResponse:
    if error.code is None:
        return JSONResponse({"message": error.msg}, status_code=error.http_status)
    body = {"code": error.code, "msg": error.msg, "ts": world.now_ms()}
    return JSONResponse(body, status_code=error.http_status)


class _Endpoint:
    """The one ASGI endpoint behind the catch-all route: routing on the raw path."""

    def __init__(self, sandbox: SandboxApp) -> None:
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        world = self.sandbox.world
        outcome: list[str] = []

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome.append(str(message["status"]))
            await send(message)

        try:
            response = await self._respond(scope, receive, counting_send)
            if response is not None:
                await response(scope, receive, counting_send)
        except ConnectionDropped:
            outcome[:] = ["dropped"]
            raise
        finally:
            if outcome:
                with world.lock:
                    world.requests_by_status[outcome[-1]] += 1

    async def _respond(self, scope: Scope, receive: Receive, send: Send) -> Response | None:
        from .control import handle_control  # the control API needs this module

        sandbox = self.sandbox
        world = sandbox.world
        request = Request(scope, receive)
        segments = split_path(raw_path(scope))
        if segments and segments[0] == "_sandbox":
            if not sandbox.authorized(request, None):
                return JSONResponse({"message": "Unauthorized"}, status_code=401)
            try:
                return await handle_control(sandbox, request, segments[1:])
            except SandboxError as error:
                return error_response(world, error)
        route = match_api(segments)
        if route is None:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        if request.method != route.method:
            return JSONResponse({"message": "Method Not Allowed"}, status_code=405)
        fault = await self._inject(scope, send)
        if fault is not None:
            return fault
        if not sandbox.authorized(request, route.app_id):
            return JSONResponse({"message": "Unauthorized"}, status_code=401)
        try:
            return sandbox.handle(route, request.query_params.get("nextId"))
        except SandboxError as error:
            return error_response(world, error)

    async def _inject(self, scope: Scope, send: Send) -> Response | None:
        """Decide and apply a request fault before any handler runs."""
        sandbox = self.sandbox
        world = sandbox.world
        with world.lock:
            faults = sandbox.faults
            kind = faults.choose(sandbox.fault_rng)
            if faults.latency:
                world.faults_by_kind["latency"] += 1
            if kind is not None:
                world.faults_by_kind[kind] += 1
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if kind is None:
            return None
        return await self._fault_response(kind, faults, send)

    async def _fault_response(self, kind: RequestFault, faults: FaultSpec, send: Send) -> Response:
        world = self.sandbox.world
        if kind == "error500":
            body = {"code": 500, "msg": "Internal Server Error", "ts": world.now_ms()}
            return JSONResponse(body, status_code=500)
        if kind == "html503":
            return Response(HTML_503, status_code=503, media_type="text/html")
        if kind == "ratelimit":
            return JSONResponse(
                {"message": "Too Many Requests"},
                status_code=429,
                headers={"Retry-After": str(faults.retry_after)},
            )
        if kind == "malformed":
            whole = json.dumps(
                {
                    "code": 0,
                    "msg": "Success",
                    "ts": world.now_ms(),
                    "data": [{"roomUuid": "demo room", "cmd": 3}],
                }
            )
            return Response(whole[: len(whole) // 2], media_type="application/json")
        if kind == "hang":
            deadline = time.monotonic() + faults.hang_seconds
            while not self.sandbox.stopping.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        await _drop(send)
        raise AssertionError("unreachable")


async def _drop(send: Send) -> None:
    """Start an answer, send part of it, and close the connection."""
    headers = [(b"content-type", b"application/json"), (b"content-length", b"512")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"code":0,"msg":"Suc', "more_body": True})
    raise ConnectionDropped("connection dropped by fault injection")
