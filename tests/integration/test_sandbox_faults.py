"""Each fault kind as a client sees it over HTTP, and the hand-out counters staying exact."""

from __future__ import annotations

import time

import httpx
import pytest

from classroom_tui.api import (
    NO_RETRY,
    ClassroomClient,
    ConnectionDropped,
    GatewayError,
    InvalidResponse,
    RateLimited,
    RequestTimedOut,
    ServerError,
)
from classroom_tui.sandbox import SandboxServer


def poll_path(server: SandboxServer) -> str:
    return f"/edu/polling/apps/{server.config.app_id}/v2/rooms/sequences"


async def set_faults(http: httpx.AsyncClient, spec: str) -> httpx.Response:
    return await http.put("/_sandbox/faults", json={"spec": spec})


async def test_error500(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "error500=1")
    response = await sandbox_http.get(poll_path(sandbox))
    assert response.status_code == 500 and response.json()["code"] == 500
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        with pytest.raises(ServerError):
            await client.list_records("demo room")


async def test_html503(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "html503=1")
    response = await sandbox_http.get(poll_path(sandbox))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().startswith("<html>")
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        with pytest.raises(GatewayError):
            await client.poll_events()


async def test_ratelimit_with_retry_after(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "ratelimit=1,retry_after=7")
    response = await sandbox_http.get(poll_path(sandbox))
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        with pytest.raises(RateLimited) as caught:
            await client.poll_events()
    assert caught.value.retry_after == 7


async def test_malformed_json(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "malformed=1")
    response = await sandbox_http.get(poll_path(sandbox))
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        with pytest.raises(InvalidResponse):
            await client.poll_events()


async def test_drop(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox_http.get(poll_path(sandbox))
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        with pytest.raises(ConnectionDropped):
            await client.poll_events()
    stats = sandbox.stats()
    assert stats["requestsByStatus"].get("dropped") == 2


async def test_hang_times_out_and_does_not_block_shutdown(sandbox_factory):
    server = sandbox_factory(faults="hang=1,hang_seconds=60")
    settings = server.settings_with(timeout=0.3)
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        with pytest.raises(RequestTimedOut):
            await client.poll_events()
    # A second request still hangs while the server stops.
    async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
        import asyncio

        pending = asyncio.create_task(http.get(poll_path(server), timeout=30))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await asyncio.to_thread(server.stop)
        assert time.monotonic() - started < 1.0
        with pytest.raises(httpx.HTTPError):
            await pending


async def test_latency(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "latency=0.3")
    started = time.monotonic()
    assert (await sandbox_http.get(poll_path(sandbox))).status_code == 200
    assert time.monotonic() - started >= 0.3
    assert sandbox.stats()["faultsByKind"]["latency"] == 1


async def test_control_api_is_never_faulted(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
):
    await set_faults(sandbox_http, "error500=0.5,html503=0.5")
    for _ in range(10):
        assert (await sandbox_http.get("/_sandbox/stats")).status_code == 200


async def test_faulted_polls_never_dequeue(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await sandbox_http.post("/_sandbox/flood", json={"count": 300})
    await set_faults(sandbox_http, "error500=0.2,html503=0.2,ratelimit=0.1,malformed=0.1,drop=0.1")
    received: list[dict] = []
    faulted = 0
    for _ in range(60):
        try:
            response = await sandbox_http.get(poll_path(sandbox))
        except httpx.HTTPError:
            faulted += 1
            continue
        try:
            body = response.json()
        except ValueError:
            faulted += 1
            continue
        if response.status_code != 200:
            faulted += 1
            continue
        received.extend(body["data"])
        if not body["data"] and len(received) >= 300:
            break
    stats = sandbox.stats()
    assert faulted > 0
    assert len(received) == stats["generated"] == stats["handedOut"] >= 300
    keys = {(e["roomUuid"], e["sequence"]) for e in received}
    assert len(keys) == len(received)  # each event handed out exactly once
    assert sum(stats["handedOutByRoom"].values()) == stats["handedOut"]
    assert stats["queued"] == 0


async def test_gap_and_reorder(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await sandbox_http.post("/_sandbox/flood", json={"count": 400})
    await set_faults(sandbox_http, "gap=0.1,reorder=1")
    received: list[dict] = []
    while True:
        batch = (await sandbox_http.get(poll_path(sandbox))).json()["data"]
        if not batch:
            break
        received.extend(batch)
    stats = sandbox.stats()
    assert stats["droppedByGap"] > 0
    assert len(received) + stats["droppedByGap"] == stats["generated"]
    assert stats["faultsByKind"]["gap"] == stats["droppedByGap"]
    assert stats["reorderedBatches"] > 0
    by_room: dict[str, list[int]] = {}
    for event in received:
        by_room.setdefault(event["roomUuid"], []).append(event["sequence"])
    assert any(seqs != sorted(seqs) for seqs in by_room.values())  # reordered
    assert any(  # and gapped
        sorted(seqs) != list(range(min(seqs), min(seqs) + len(seqs))) for seqs in by_room.values()
    )


@pytest.mark.parametrize(
    "spec",
    [
        "bogus=1",
        "error500=2",
        "error500=0.6,drop=0.6",
        "latency=-1",
        "latency",
        "gap=x",
        "retry_after=1.5",
        "latency=nan",
        "gap=0.1,gap=0.2",
    ],
)
async def test_bad_fault_spec_is_400(sandbox_http: httpx.AsyncClient, spec: str):
    response = await set_faults(sandbox_http, spec)
    assert response.status_code == 400 and response.json()["code"] == 400
    assert response.json()["msg"]


async def test_fault_stats_by_kind(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    await set_faults(sandbox_http, "error500=1")
    for _ in range(3):
        await sandbox_http.get(poll_path(sandbox))
    stats = (await sandbox_http.get("/_sandbox/stats")).json()["data"]
    assert stats["faultsByKind"] == {"error500": 3}
    assert stats["requestsByStatus"]["500"] == 3
    assert stats["faults"] == "error500=1"
    await set_faults(sandbox_http, "")
    assert (await sandbox_http.get(poll_path(sandbox))).status_code == 200
