"""Each injected fault kind, and what the client does with it: which requests it repeats
(only those that are harmless to repeat) and which become a clear error at once."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import httpx
import pytest

from classroom_tui import api
from classroom_tui.api import ClassroomClient, RetryPolicy
from classroom_tui.sandbox import SandboxServer

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, rng=random.Random(3))
ROOM = "biology archive"


def api_requests(server: SandboxServer) -> int:
    return sum(server.stats()["requestsByStatus"].values())


def faults_injected(server: SandboxServer, kind: str) -> int:
    return int(server.stats()["faultsByKind"].get(kind, 0))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("error500=1", api.ServerError),
        ("html503=1", api.GatewayError),
        ("ratelimit=1,retry_after=0", api.RateLimited),
        ("drop=1", api.ConnectionDropped),
        ("malformed=1", api.InvalidResponse),
    ],
)
async def test_listing_is_retried_then_fails_clearly(
    sandbox_factory: Callable[..., SandboxServer], spec: str, expected: type[Exception]
) -> None:
    server = sandbox_factory(faults=spec)
    async with ClassroomClient(server.settings, retry=FAST_RETRY) as client:
        with pytest.raises(expected) as caught:
            await client.list_records(ROOM)
    kind = spec.split("=")[0]
    assert faults_injected(server, kind) == FAST_RETRY.attempts
    assert "Traceback" not in str(caught.value) and str(caught.value)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("error500=1", api.ServerError),
        ("html503=1", api.GatewayError),
        ("drop=1", api.ConnectionDropped),
        ("malformed=1", api.InvalidResponse),
    ],
)
async def test_poll_with_an_answer_is_never_repeated(
    sandbox_factory: Callable[..., SandboxServer], spec: str, expected: type[Exception]
) -> None:
    server = sandbox_factory(faults=spec)
    async with ClassroomClient(server.settings, retry=FAST_RETRY) as client:
        with pytest.raises(expected):
            await client.poll_events()
        with pytest.raises(expected):
            await client.set_class_state("demo room", 1)
    assert faults_injected(server, spec.split("=")[0]) == 2


async def test_rate_limited_requests_are_repeated_after_retry_after(
    sandbox_factory: Callable[..., SandboxServer],
) -> None:
    server = sandbox_factory(faults="ratelimit=0.3,retry_after=0")
    policy = RetryPolicy(attempts=10, base_delay=0.0, max_delay=0.0)
    async with ClassroomClient(server.settings, retry=policy) as client:
        for _ in range(6):
            await client.poll_events()
    assert faults_injected(server, "ratelimit") > 0


async def test_retry_after_is_honoured(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(faults="ratelimit=1,retry_after=1")
    policy = RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0)
    async with ClassroomClient(server.settings, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(api.RateLimited) as caught:
            await client.list_records(ROOM)
    assert time.monotonic() - started >= 0.9
    assert caught.value.retry_after == 1.0


async def test_listing_recovers_from_intermittent_faults(
    sandbox_factory: Callable[..., SandboxServer],
) -> None:
    server = sandbox_factory(faults="error500=0.2,html503=0.1,drop=0.1")
    policy = RetryPolicy(attempts=8, base_delay=0.01, max_delay=0.02, rng=random.Random(5))
    async with ClassroomClient(server.settings, retry=policy) as client:
        pages = [page async for page in client.iter_record_pages(ROOM)]
    assert sum(len(p.records) for p in pages) == 250
    assert sum(server.stats()["faultsByKind"].values()) > 0


async def test_hanging_request_times_out(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(faults="hang=1,hang_seconds=30")
    settings = server.settings_with(timeout=0.5)
    async with ClassroomClient(settings, retry=api.NO_RETRY) as client:
        started = time.monotonic()
        with pytest.raises(api.RequestTimedOut) as caught:
            await client.poll_events()
    assert time.monotonic() - started < 5
    assert "0.5 s" in str(caught.value)


async def test_latency_is_added(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(faults="latency=0.3")
    async with ClassroomClient(server.settings, retry=api.NO_RETRY) as client:
        started = time.monotonic()
        await client.poll_events()
    assert time.monotonic() - started >= 0.28


async def test_unreachable_service_is_a_network_error() -> None:
    from classroom_tui.sandbox import bind_socket

    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    settings = api.ConnectionSettings(f"http://127.0.0.1:{port}", "app", "uid", "token")
    async with ClassroomClient(settings, retry=FAST_RETRY) as client:
        with pytest.raises(api.ServiceUnreachable) as caught:
            await client.poll_events()
    assert f"127.0.0.1:{port}" in str(caught.value)


async def test_faults_do_not_consume_events(sandbox_factory: Callable[..., SandboxServer]) -> None:
    """A faulted poll hands nothing out, so the events are still there afterwards."""
    server = sandbox_factory()
    async with ClassroomClient(server.settings, retry=api.NO_RETRY) as client:
        await client.set_class_state("demo room", 1)
        async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
            response = await http.put("/_sandbox/faults", json={"spec": "error500=1"})
            assert response.status_code == 200
            with pytest.raises(api.ServerError):
                await client.poll_events()
            response = await http.put("/_sandbox/faults", json={"spec": "none"})
            assert response.status_code == 200
        events = await client.poll_events()
    assert [(e.room_uuid, e.cmd) for e in events] == [("demo room", 1)]
    assert api_requests(server) >= 3
