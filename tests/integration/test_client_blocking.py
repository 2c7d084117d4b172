"""The ClassroomClient over the blocking transport (what `classroom-tui events` uses): the
same answers, the same errors and the same repeat rules as over the default transport."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import httpx
import pytest

from classroom_tui import api
from classroom_tui.api import ClassroomClient, RetryPolicy
from classroom_tui.api.blocking import BlockingTransport, blocking_transport
from classroom_tui.sandbox import SandboxServer

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, rng=random.Random(5))


def flood(server: SandboxServer, count: int) -> None:
    with httpx.Client(base_url=server.base_url, headers=server.headers) as http:
        http.post("/_sandbox/flood", json={"count": count}).raise_for_status()


def faults_injected(server: SandboxServer, kind: str) -> int:
    return int(server.stats()["faultsByKind"].get(kind, 0))


async def drain(client: ClassroomClient) -> list[api.Event]:
    received: list[api.Event] = []
    while batch := await client.poll_events():
        received.extend(batch)
    return received


async def test_polls_hand_out_the_same_events_as_over_the_default_transport(
    sandbox_factory: Callable[..., SandboxServer],
) -> None:
    answers = []
    for transport in (None, BlockingTransport()):
        server = sandbox_factory(seed=7, clock=lambda: 1_800_000_000.0)
        flood(server, 450)
        async with ClassroomClient(server.settings, transport=transport) as client:
            answers.append([(e.room_uuid, e.sequence, e.raw) for e in await drain(client)])
        assert server.stats()["handedOut"] == 450
    assert answers[0] == answers[1] and len(answers[0]) == 450


async def test_state_changes_and_listings_work(sandbox: SandboxServer) -> None:
    async with ClassroomClient(sandbox.settings, transport=BlockingTransport()) as client:
        await client.set_class_state("blocking room", 1)
        page = await client.list_records("biology archive")
        with pytest.raises(api.ClassAlreadyStarted):
            await client.set_class_state("blocking room", 1)
    assert len(page.records) == 100 and page.next_id


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("error500=1", api.ServerError),
        ("html503=1", api.GatewayError),
        ("drop=1", api.ConnectionDropped),
        ("malformed=1", api.InvalidResponse),
    ],
)
async def test_a_poll_with_an_answer_fails_once_and_a_listing_is_repeated(
    sandbox_factory: Callable[..., SandboxServer], spec: str, expected: type[Exception]
) -> None:
    server = sandbox_factory(faults=spec)
    kind = spec.split("=")[0]
    async with ClassroomClient(
        server.settings, retry=FAST_RETRY, transport=BlockingTransport()
    ) as client:
        with pytest.raises(expected) as caught:
            await client.poll_events()
        assert faults_injected(server, kind) == 1
        with pytest.raises(expected):
            await client.list_records("biology archive")
    assert faults_injected(server, kind) == 1 + FAST_RETRY.attempts
    assert "Traceback" not in str(caught.value) and str(caught.value)


async def test_a_hanging_request_times_out(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(faults="hang=1,hang_seconds=30")
    settings = server.settings_with(timeout=0.5)
    async with ClassroomClient(
        settings, retry=api.NO_RETRY, transport=BlockingTransport()
    ) as client:
        with pytest.raises(api.RequestTimedOut) as caught:
            await client.poll_events()
    assert "0.5 s" in str(caught.value)


async def test_an_unreachable_service_is_a_network_error() -> None:
    from classroom_tui.sandbox import bind_socket

    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    settings = api.ConnectionSettings(f"http://127.0.0.1:{port}", "app", "uid", "token")
    async with ClassroomClient(settings, retry=FAST_RETRY, transport=BlockingTransport()) as c:
        with pytest.raises(api.ServiceUnreachable) as caught:
            await c.poll_events()
    assert f"127.0.0.1:{port}" in str(caught.value)


async def test_a_cancelled_poll_is_never_sent(sandbox: SandboxServer) -> None:
    """Cancellation (Ctrl-C) lands before the request goes out: nothing is handed out."""
    flood(sandbox, 100)
    async with ClassroomClient(sandbox.settings, transport=BlockingTransport()) as client:
        task = asyncio.ensure_future(client.poll_events())
        await asyncio.sleep(0)  # the task is now waiting at its one suspension point
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert sandbox.stats()["handedOut"] == 0


def test_a_configured_proxy_keeps_the_default_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    assert isinstance(blocking_transport(), BlockingTransport)
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert blocking_transport() is None
