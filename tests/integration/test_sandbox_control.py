"""The control API, the event queue over HTTP, awkward room names, and server lifecycle."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from classroom_tui.api import NO_RETRY, ClassroomClient, Event
from classroom_tui.sandbox import (
    IDLE_ROOMS,
    SIMULATED_ROOMS,
    SandboxConfig,
    SandboxServer,
    SandboxStartError,
)

AWKWARD = [
    "a?b",
    "50%",
    "[x]{y}|z^",
    "physics lab #2",
    "Q&A: week 3?",
    "a/b".replace("/", "%"),
    "x+y=z",
    "<tag> & ~more~",
    "!$()-:;<=.>@_,",
]


def poll_path(server: SandboxServer) -> str:
    return f"/edu/polling/apps/{server.config.app_id}/v2/rooms/sequences"


async def drain(client: ClassroomClient) -> list[Event]:
    events: list[Event] = []
    while batch := await client.poll_events():
        events.extend(batch)
    return events


async def test_stats_shape(sandbox_http: httpx.AsyncClient):
    body = (await sandbox_http.get("/_sandbox/stats")).json()
    assert body["code"] == 0
    for key in (
        "generated",
        "queued",
        "handedOut",
        "handedOutByRoom",
        "droppedByGap",
        "expired",
        "requestsByStatus",
        "faultsByKind",
        "faults",
        "rate",
    ):
        assert key in body["data"]


async def test_seeded_rooms_listed(sandbox_http: httpx.AsyncClient):
    rooms = {r["roomUuid"]: r for r in (await sandbox_http.get("/_sandbox/rooms")).json()["data"]}
    assert set(IDLE_ROOMS) | set(SIMULATED_ROOMS) <= rooms.keys()
    assert rooms["biology archive"]["records"] == 250
    assert rooms["demo room"]["state"] == 0 and not rooms["demo room"]["simulated"]


@pytest.mark.parametrize("room", AWKWARD)
async def test_awkward_room_names_round_trip(sandbox_client: ClassroomClient, room: str):
    await sandbox_client.set_class_state(room, 1)
    await sandbox_client.set_recording_state(room, 1)
    await sandbox_client.set_recording_state(room, 2)
    page = await sandbox_client.list_records(room)
    assert page.records[-1].status == 2
    assert {r.room_uuid for r in page.records} == {room}
    events = await drain(sandbox_client)
    assert {e.room_uuid for e in events} == {room}
    assert [e.sequence for e in events] == [1, 2, 3]


async def test_create_rooms_with_records(
    sandbox_client: ClassroomClient, sandbox_http: httpx.AsyncClient
):
    body = {"rooms": [{"roomUuid": "made [1]", "records": 120}, {"roomUuid": "made 2", "state": 1}]}
    response = await sandbox_http.post("/_sandbox/rooms", json=body)
    assert response.json()["data"]["created"] == ["made [1]", "made 2"]
    pages = [p async for p in sandbox_client.iter_record_pages("made [1]")]
    assert [p.count for p in pages] == [100, 20]
    again = await sandbox_http.post("/_sandbox/rooms", json={"rooms": [{"roomUuid": "made 2"}]})
    assert again.status_code == 409
    bad = await sandbox_http.post("/_sandbox/rooms", json={"rooms": [{"roomUuid": "é"}]})
    assert bad.status_code == 400


async def test_enqueue_raw_events(sandbox_client: ClassroomClient, sandbox_http: httpx.AsyncClient):
    events = [
        {"roomUuid": "demo room", "cmd": 4242, "data": {"anything": [1, 2]}},
        {"roomUuid": "demo room", "cmd": 3, "sequence": 99, "data": {}},
        {"roomUuid": "nowhere", "cmd": 1, "data": {"state": 1}},
    ]
    response = await sandbox_http.post("/_sandbox/events", json={"events": events})
    assert response.json()["data"] == {"queued": 3}
    got = await drain(sandbox_client)
    assert [(e.room_uuid, e.cmd, e.sequence) for e in got] == [
        ("demo room", 4242, 1),
        ("demo room", 3, 99),
        ("nowhere", 1, 1),
    ]
    assert got[0].data == {"anything": [1, 2]} and got[0].version == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/_sandbox/events", {"events": "x"}),
        ("POST", "/_sandbox/rooms", {"rooms": [{"roomUuid": 5}]}),
        ("POST", "/_sandbox/flood", {"count": -1}),
        ("POST", "/_sandbox/flood", {"count": "ten"}),
        ("PUT", "/_sandbox/simulation", {"rate": -2}),
        ("PUT", "/_sandbox/simulation", {}),
        ("PUT", "/_sandbox/faults", {}),
    ],
)
async def test_control_bad_bodies(
    sandbox_http: httpx.AsyncClient, method: str, path: str, body: dict
):
    response = await sandbox_http.request(method, path, json=body)
    assert response.status_code == 400 and response.json()["code"] == 400


async def test_control_not_json_and_unknown(sandbox_http: httpx.AsyncClient):
    response = await sandbox_http.post("/_sandbox/flood", content=b"{nope")
    assert response.status_code == 400
    assert (await sandbox_http.get("/_sandbox/nothing")).status_code == 404


async def test_fetch_once_and_batch_size(sandbox_factory):
    server = sandbox_factory(batch_size=30)
    async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
        await http.post("/_sandbox/flood", json={"count": 100})
        total = server.stats()["generated"]
        sizes, seen = [], set()
        while batch := (await http.get(poll_path(server))).json()["data"]:
            sizes.append(len(batch))
            for event in batch:
                key = (event["roomUuid"], event["sequence"])
                assert key not in seen
                seen.add(key)
        assert sizes[:-1] == [30] * (len(sizes) - 1) and sum(sizes) == total
        stats = server.stats()
        assert stats["handedOut"] == total and stats["queued"] == 0


async def test_events_oldest_first_per_room(
    sandbox_client: ClassroomClient, sandbox_http: httpx.AsyncClient
):
    await sandbox_http.post("/_sandbox/flood", json={"count": 500})
    per_room: dict[str, list[int]] = {}
    for event in await drain(sandbox_client):
        per_room.setdefault(event.room_uuid, []).append(event.sequence)
    for sequences in per_room.values():
        assert sequences == list(range(1, len(sequences) + 1))


async def test_simulation_rate(sandbox_factory):
    server = sandbox_factory(rate=2000)
    time.sleep(0.6)
    generated = server.stats()["generated"]
    assert 500 <= generated <= 2000
    async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
        await http.put("/_sandbox/simulation", json={"rate": 0})
        time.sleep(0.15)
        frozen = server.stats()["generated"]
        time.sleep(0.2)
        assert server.stats()["generated"] == frozen
        assert (await http.get("/_sandbox/stats")).json()["data"]["rate"] == 0


async def test_simulation_never_touches_idle_rooms(sandbox_factory):
    server = sandbox_factory()
    async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
        await http.post("/_sandbox/flood", json={"count": 3000})
    with server.world.lock:
        for name in IDLE_ROOMS:
            room = server.world.rooms[name]
            assert room.sequence == 0 and room.state == 0


async def test_app_certificate_tokens(sandbox_factory):
    rtm = pytest.importorskip("classroom_tui.auth.rtm_token")
    certificate = "0123456789abcdef0123456789abcdef"
    server = sandbox_factory(app_certificate=certificate)
    app_id = server.config.app_id
    good = rtm.build_rtm_token(app_id, certificate, "agent-7", 600)
    other = rtm.build_rtm_token(app_id, "f" * 32, "agent-7", 600)
    async with ClassroomClient(
        server.settings_with(uid="agent-7", token=good), retry=NO_RETRY
    ) as c:
        assert await c.poll_events() == []
    for uid, token in (
        ("agent-8", good),
        ("agent-7", other),
        ("agent-7", "garbage"),
        ("agent-7", server.config.token),
    ):
        headers = {"x-agora-uid": uid, "x-agora-token": token}
        response = httpx.get(server.base_url + poll_path(server), headers=headers)
        assert response.status_code == 401 and "code" not in response.json()


def test_start_stop_frees_port_quickly():
    server = SandboxServer(SandboxConfig(rate=500))
    with server:
        port = server.port
        assert (
            httpx.get(server.base_url + "/_sandbox/stats", headers=server.headers).status_code
            == 200
        )
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
    assert not server.running
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/_sandbox/stats")


def test_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SandboxStartError, match="in use"):
            SandboxServer(SandboxConfig(port=port)).start()


def test_restart_after_stop_on_same_port():
    first = SandboxServer(SandboxConfig()).start()
    port = first.port
    first.stop()
    second = SandboxServer(SandboxConfig(port=port)).start()
    try:
        assert second.port == port
    finally:
        second.stop()


async def test_reset_starts_over_in_place(sandbox_factory):
    server = sandbox_factory()
    port = server.port
    async with ClassroomClient(server.settings, retry=NO_RETRY) as client:
        await client.set_class_state("demo room", 2)
        server.reset(SandboxConfig(seed=9, batch_size=5))
        assert server.port == port and server.config.batch_size == 5
        await client.set_class_state("demo room", 1)  # a fresh world: demo room is idle again
        assert [e.sequence for e in await client.poll_events()] == [1]
        assert server.stats()["requestsByStatus"] == {"200": 2}
