"""The four service endpoints of the sandbox, over loopback HTTP."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from classroom_tui.api import (
    NO_RETRY,
    AuthenticationFailed,
    BadRequest,
    ClassAlreadyEnded,
    ClassAlreadyStarted,
    ClassroomClient,
    RecordingNotFinished,
    RecordingNotStarted,
    RoomNotFound,
)
from classroom_tui.sandbox import SandboxServer


def room_path(server: SandboxServer, room: str, prefix: str = "") -> str:
    return f"{prefix}/edu/apps/{server.config.app_id}/v2/rooms/{quote(room, safe='')}"


def poll_path(server: SandboxServer, prefix: str = "") -> str:
    return f"{prefix}/edu/polling/apps/{server.config.app_id}/v2/rooms/sequences"


async def test_class_state_envelope_and_event(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
):
    response = await sandbox_http.put(room_path(sandbox, "demo room") + "/states/1")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0 and body["msg"] == "Success" and isinstance(body["ts"], int)
    events = (await sandbox_http.get(poll_path(sandbox))).json()["data"]
    assert [(e["roomUuid"], e["cmd"], e["sequence"], e["version"]) for e in events] == [
        ("demo room", 1, 1, 1)
    ]
    assert events[0]["data"]["state"] == 1 and isinstance(events[0]["data"]["startTime"], int)


async def test_class_state_machine(sandbox_client: ClassroomClient, sandbox: SandboxServer):
    client = sandbox_client
    await client.set_class_state("office hours", 0)  # 0 -> 0: ok, no event
    assert await client.poll_events() == []
    await client.set_class_state("office hours", 1)
    for state in (0, 1):
        with pytest.raises(ClassAlreadyStarted) as caught:
            await client.set_class_state("office hours", state)
        assert caught.value.http_status == 409 and caught.value.code == 30409100
    await client.set_recording_state("office hours", 1)
    await client.set_class_state("office hours", 2)  # also stops the recording
    events = await client.poll_events()
    assert [(e.cmd, e.data["state"]) for e in events] == [(1, 1), (1001, 1), (1001, 2), (1, 2)]
    assert [e.sequence for e in events] == [1, 2, 3, 4]
    for state in (0, 1, 2):
        with pytest.raises(ClassAlreadyEnded) as ended:
            await client.set_class_state("office hours", state)
        assert ended.value.code == 30409101
    page = await client.list_records("office hours")
    assert page.records[-1].status == 2 and page.records[-1].url


async def test_zero_to_two(sandbox_client: ClassroomClient):
    await sandbox_client.set_class_state("demo room", 2)
    events = await sandbox_client.poll_events()
    assert [(e.cmd, e.data["state"]) for e in events] == [(1, 2)]


@pytest.mark.parametrize("state", ["3", "9", "-1", "x", "1.0", "%20"])
async def test_state_outside_range_is_400(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient, state: str
):
    for suffix in ("/states/", "/records/states/"):
        response = await sandbox_http.put(room_path(sandbox, "demo room") + suffix + state)
        assert response.status_code == 400
        assert response.json()["code"] == 400


async def test_recording_state_machine(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    base = room_path(sandbox, "demo room")
    stop = await sandbox_http.put(base + "/records/states/2")
    assert (stop.status_code, stop.json()["code"]) == (409, 30409410)
    start = await sandbox_http.put(base + "/records/states/1")
    assert start.status_code == 200
    assert start.json().keys() == {"code", "ts"}  # no msg, like the vendor example
    again = await sandbox_http.put(base + "/records/states/1")
    assert (again.status_code, again.json()["code"]) == (409, 30409411)
    listing = (await sandbox_http.get(base + "/records")).json()["data"]
    running = listing["list"][-1]
    assert running["status"] == 1 and "endTime" not in running and "url" not in running
    stopped = await sandbox_http.put(base + "/records/states/0")  # 0 also means stop
    assert stopped.status_code == 200
    finished = (await sandbox_http.get(base + "/records")).json()["data"]["list"][-1]
    assert finished["recordId"] == running["recordId"]
    assert finished["status"] == 2 and finished["url"].endswith(".m3u8")
    assert finished["endTime"] >= finished["startTime"]
    events = (await sandbox_http.get(poll_path(sandbox))).json()["data"]
    assert [(e["cmd"], e["data"]["state"]) for e in events] == [(1001, 1), (1001, 0)]
    assert {"recordId", "sid", "resourceId"} <= events[0]["data"].keys()
    assert events[0]["data"]["recordId"] == running["recordId"]


async def test_record_fields(sandbox_client: ClassroomClient, sandbox: SandboxServer):
    page = await sandbox_client.list_records("demo room")
    assert page.total == page.count == 3 and page.next_id is None
    fields = {
        "appId",
        "roomUuid",
        "recordId",
        "startTime",
        "endTime",
        "resourceId",
        "sid",
        "recordUid",
        "boardAppId",
        "boardToken",
        "boardId",
        "type",
        "status",
        "url",
    }
    for record in page.records:
        assert fields <= record.raw.keys()
        assert record.app_id == sandbox.config.app_id and record.room_uuid == "demo room"
        assert record.type in (1, 2) and record.status == 2
    starts = [r.start_time or 0 for r in page.records]
    assert starts == sorted(starts)


async def test_paging_250_records(sandbox_client: ClassroomClient):
    pages = [page async for page in sandbox_client.iter_record_pages("biology archive")]
    assert [p.count for p in pages] == [100, 100, 50]
    assert all(p.total == 250 for p in pages)
    assert [p.next_id is None for p in pages] == [False, False, True]
    ids = [r.record_id for p in pages for r in p.records]
    assert len(set(ids)) == 250
    starts = [r.start_time or 0 for p in pages for r in p.records]
    assert starts == sorted(starts)


async def test_last_page_next_id_is_json_null(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
):
    body = (await sandbox_http.get(room_path(sandbox, "demo room") + "/records")).json()
    assert body["data"]["nextId"] is None
    for empty in ("", "null"):
        again = await sandbox_http.get(
            room_path(sandbox, "demo room") + "/records", params={"nextId": empty}
        )
        assert again.json()["data"]["count"] == 3


async def test_bad_next_id_is_400(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    response = await sandbox_http.get(
        room_path(sandbox, "biology archive") + "/records", params={"nextId": "nope"}
    )
    assert (response.status_code, response.json()["code"]) == (400, 400)


async def test_unknown_room_is_404_on_every_endpoint(sandbox_factory):
    server = sandbox_factory(auto_create_rooms=False)
    async with ClassroomClient(server.settings, retry=NO_RETRY) as client:
        for call in (
            client.set_class_state("no such room", 1),
            client.set_recording_state("no such room", 1),
            client.set_recording_state("no such room", 2),
            client.list_records("no such room"),
        ):
            with pytest.raises(RoomNotFound) as caught:
                await call
            assert (caught.value.http_status, caught.value.code) == (404, 20404100)


async def test_auto_create_on_first_state(sandbox_client: ClassroomClient):
    with pytest.raises(RoomNotFound):
        await sandbox_client.list_records("brand new room")
    with pytest.raises(RoomNotFound):
        await sandbox_client.set_class_state("brand new room", 2)
    await sandbox_client.set_class_state("brand new room", 1)
    assert (await sandbox_client.list_records("brand new room")).total == 0


@pytest.mark.parametrize(
    "raw",
    [
        "caf%C3%A9",  # é is not among the 89 characters
        "a" * 65,  # longer than 64 bytes
        "tab%09room",
        "%2F",  # '/' is not allowed
        "%FF%FE",  # not UTF-8
        "",  # empty
    ],
)
async def test_invalid_room_uuid_is_400(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient, raw: str
):
    base = f"/edu/apps/{sandbox.config.app_id}/v2/rooms/{raw}"
    for method, suffix in (("PUT", "/states/1"), ("PUT", "/records/states/1"), ("GET", "/records")):
        response = await sandbox_http.request(method, base + suffix)
        assert response.status_code == 400, (raw, suffix)
        assert response.json()["code"] == 400


async def test_unknown_path_is_404_without_code(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
):
    for path in (
        "/",
        "/edu",
        "/edu/apps/x/v3/rooms/r/states/1",
        "/xx/edu/polling/apps/a/v2/rooms/sequences",
        room_path(sandbox, "demo room") + "/records/extra",
    ):
        response = await sandbox_http.get(path)
        assert response.status_code == 404
        assert "code" not in response.json()


async def test_wrong_method_is_405(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    response = await sandbox_http.post(poll_path(sandbox))
    assert response.status_code == 405 and "code" not in response.json()


async def test_region_prefixes(sandbox: SandboxServer, sandbox_http: httpx.AsyncClient):
    for region in ("cn", "ap", "na", "eu"):
        response = await sandbox_http.get(
            room_path(sandbox, "demo room", f"/{region}") + "/records"
        )
        assert response.status_code == 200
        assert (await sandbox_http.get(poll_path(sandbox, f"/{region}"))).status_code == 200


async def test_client_with_prefixed_base_url(sandbox: SandboxServer):
    settings = sandbox.settings_with(base_url=sandbox.base_url + "/na")
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        await client.set_class_state("demo room", 1)
        assert [e.cmd for e in await client.poll_events()] == [1]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-agora-uid": "support-console"},
        {"x-agora-token": "sandbox-token"},
        {"x-agora-uid": "someone-else", "x-agora-token": "sandbox-token"},
        {"x-agora-uid": "support-console", "x-agora-token": "wrong"},
        {"x-agora-uid": "support-console", "Authorization": "agora token=wrong"},
        {"x-agora-uid": "support-console", "Authorization": "Bearer sandbox-token"},
    ],
)
async def test_auth_failures_are_401_without_code(sandbox: SandboxServer, headers: dict[str, str]):
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        for method, path in (
            ("GET", poll_path(sandbox)),
            ("PUT", room_path(sandbox, "demo room") + "/states/1"),
            ("PUT", room_path(sandbox, "demo room") + "/records/states/1"),
            ("GET", room_path(sandbox, "demo room") + "/records"),
            ("GET", "/_sandbox/stats"),
        ):
            response = await http.request(method, path)
            assert response.status_code == 401
            assert "code" not in response.json()


async def test_unknown_app_id_is_401(sandbox: SandboxServer):
    settings = sandbox.settings_with(app_id="0" * 32)
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        with pytest.raises(AuthenticationFailed):
            await client.poll_events()
        with pytest.raises(AuthenticationFailed):
            await client.set_class_state("demo room", 1)


async def test_authorization_header_style(sandbox: SandboxServer):
    settings = sandbox.settings_with(auth_style="authorization")
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        await client.set_class_state("demo room", 1)
        assert len(await client.poll_events()) == 1


async def test_bad_request_maps_to_client_error(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
):
    response = await sandbox_http.put(room_path(sandbox, "demo room") + "/states/7")
    assert response.status_code == 400
    with pytest.raises(BadRequest):
        from classroom_tui.api.client import _envelope_from

        _envelope_from(response)


async def test_recording_errors_via_client(sandbox_client: ClassroomClient):
    with pytest.raises(RecordingNotStarted):
        await sandbox_client.set_recording_state("demo room", 2)
    await sandbox_client.set_recording_state("demo room", 1)
    with pytest.raises(RecordingNotFinished):
        await sandbox_client.set_recording_state("demo room", 1)
