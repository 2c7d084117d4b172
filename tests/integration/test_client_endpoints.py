"""The client against the sandbox over loopback HTTP: every endpoint and status row."""

from __future__ import annotations

import httpx
import pytest

from classroom_tui import api
from classroom_tui.api import ClassroomClient, ClassState, RecordingAction
from classroom_tui.sandbox import SandboxServer

PAGED_ROOM = "biology archive"  # the seeded room with 250 recordings


def requests_seen(sandbox: SandboxServer) -> int:
    return sum(sandbox.stats()["requestsByStatus"].values())


async def test_room_lifecycle_through_every_endpoint(sandbox_client: ClassroomClient) -> None:
    room = "physics lab #2 [retake]"
    await sandbox_client.set_class_state(room, ClassState.NOT_STARTED)
    await sandbox_client.set_class_state(room, ClassState.STARTED)
    answer = await sandbox_client.set_recording_state(room, RecordingAction.START)
    assert answer.code == 0 and answer.msg is None  # like the vendor's example
    await sandbox_client.set_recording_state(room, RecordingAction.STOP)
    await sandbox_client.set_class_state(room, ClassState.ENDED)

    page = await sandbox_client.list_records(room)
    assert page.total == 1 and page.next_id is None
    (record,) = page.records
    assert record.room_uuid == room
    assert record.status == 2 and record.url and record.end_time is not None

    events = await sandbox_client.poll_events()
    mine = [(e.cmd, e.data.get("state")) for e in events if e.room_uuid == room]
    assert mine == [(1, 1), (1001, 1), (1001, 2), (1, 2)]
    assert [e.sequence for e in events if e.room_uuid == room] == [1, 2, 3, 4]


async def test_events_are_handed_out_once(sandbox_client: ClassroomClient) -> None:
    await sandbox_client.set_class_state("demo room", 1)
    first = await sandbox_client.poll_events()
    assert [(e.room_uuid, e.cmd) for e in first] == [("demo room", 1)]
    assert await sandbox_client.poll_events() == []


async def test_paging_through_three_pages(sandbox_client: ClassroomClient) -> None:
    pages = [page async for page in sandbox_client.iter_record_pages(PAGED_ROOM)]
    assert [len(p.records) for p in pages] == [100, 100, 50]
    assert all(p.total == 250 for p in pages)
    assert pages[-1].next_id is None and pages[0].next_id and pages[1].next_id
    ids = [r.record_id for p in pages for r in p.records]
    assert len(set(ids)) == 250
    starts = [r.start_time or 0 for p in pages for r in p.records]
    assert starts == sorted(starts), "records are listed oldest first"
    again = await sandbox_client.list_records(PAGED_ROOM, pages[0].next_id)
    assert [r.record_id for r in again.records] == [r.record_id for r in pages[1].records]


async def test_iter_records_yields_every_record(sandbox_client: ClassroomClient) -> None:
    count = 0
    async for _record in sandbox_client.iter_records(PAGED_ROOM):
        count += 1
    assert count == 250


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([(1, "class", 1), (1, "class", 0)], api.ClassAlreadyStarted),
        ([(1, "class", 1), (1, "class", 1)], api.ClassAlreadyStarted),
        ([(1, "class", 2), (1, "class", 1)], api.ClassAlreadyEnded),
        ([(1, "class", 2), (1, "class", 2)], api.ClassAlreadyEnded),
        ([(1, "rec", 1), (1, "rec", 1)], api.RecordingNotFinished),
        ([(1, "rec", 2)], api.RecordingNotStarted),
    ],
)
async def test_state_conflicts(
    sandbox_client: ClassroomClient,
    steps: list[tuple[int, str, int]],
    expected: type[api.ApiError],
) -> None:
    room = "office hours"
    *setup, last = steps
    for _, what, value in setup:
        if what == "class":
            await sandbox_client.set_class_state(room, value)
        else:
            await sandbox_client.set_recording_state(room, value)
    with pytest.raises(expected) as caught:
        if last[1] == "class":
            await sandbox_client.set_class_state(room, last[2])
        else:
            await sandbox_client.set_recording_state(room, last[2])
    error = caught.value
    assert error.http_status == 409 and error.code == expected.business_code
    assert f"HTTP 409, code {expected.business_code}" in str(error)


async def test_unknown_room_is_404_room_not_found(sandbox_client: ClassroomClient) -> None:
    with pytest.raises(api.RoomNotFound) as caught:
        await sandbox_client.list_records("no such room")
    assert (caught.value.http_status, caught.value.code) == (404, 20404100)
    with pytest.raises(api.RoomNotFound):
        await sandbox_client.set_recording_state("no such room", 1)


@pytest.mark.parametrize(
    "override",
    [{"token": "tok-SECRET-0001"}, {"uid": "somebody-else"}, {"app_id": "0" * 32}],
)
async def test_wrong_credentials_are_401(sandbox: SandboxServer, override: dict[str, str]) -> None:
    settings = sandbox.settings_with(**override)
    async with ClassroomClient(settings, retry=api.NO_RETRY) as client:
        with pytest.raises(api.AuthenticationFailed) as caught:
            await client.poll_events()
    assert caught.value.http_status == 401 and caught.value.code is None
    assert "tok-SECRET" not in str(caught.value), "a token must never appear in a message"


async def test_authorization_header_form_is_accepted(sandbox: SandboxServer) -> None:
    settings = sandbox.settings_with(auth_style="authorization")
    async with ClassroomClient(settings, retry=api.NO_RETRY) as client:
        assert await client.poll_events() == []


async def test_region_prefix_in_base_url(sandbox: SandboxServer) -> None:
    settings = sandbox.settings_with(base_url=sandbox.base_url + "/cn")
    async with ClassroomClient(settings, retry=api.NO_RETRY) as client:
        page = await client.list_records(PAGED_ROOM)
    assert page.total == 250


async def test_service_400_and_plain_404(
    sandbox: SandboxServer, sandbox_http: httpx.AsyncClient
) -> None:
    """Rows the client never provokes itself (it refuses such input), checked on the wire and
    through the client's own answer handling."""
    from classroom_tui.api.client import _envelope_from

    bad_state = await sandbox_http.put(f"/edu/apps/{sandbox.config.app_id}/v2/rooms/x/states/7")
    with pytest.raises(api.BadRequest):
        _envelope_from(bad_state)
    bad_room = await sandbox_http.put(f"/edu/apps/{sandbox.config.app_id}/v2/rooms/a%2Fb/states/1")
    with pytest.raises(api.BadRequest):
        _envelope_from(bad_room)
    nowhere = await sandbox_http.get("/edu/nowhere")
    with pytest.raises(api.NotFound) as caught:
        _envelope_from(nowhere)
    assert type(caught.value) is api.NotFound and caught.value.code is None


async def test_invalid_input_sends_nothing(
    sandbox: SandboxServer, sandbox_client: ClassroomClient
) -> None:
    before = requests_seen(sandbox)
    with pytest.raises(api.InvalidRoomId):
        await sandbox_client.set_class_state("a/b", 1)
    with pytest.raises(api.InvalidInput):
        await sandbox_client.set_class_state("ok", 3)
    with pytest.raises(api.InvalidInput):
        await sandbox_client.set_recording_state("ok", 0)
    with pytest.raises(api.InvalidInput):
        await sandbox_client.list_records("ok", "bad\ntoken")
    assert requests_seen(sandbox) == before
