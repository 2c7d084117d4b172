"""Room names travel through client and sandbox unchanged; invalid ones never leave."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classroom_tui import api
from classroom_tui.api import ROOM_UUID_ALPHABET, ClassroomClient
from classroom_tui.sandbox import SandboxConfig, SandboxServer

ALPHABET = "".join(sorted(ROOM_UUID_ALPHABET))


def chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(seed=7, simulated_world=False)) as running:
        yield running


async def round_trip(server: SandboxServer, room: str) -> list[str]:
    """Start the room's class and return the roomUuids of the events that came back."""
    async with ClassroomClient(server.settings, retry=api.NO_RETRY) as client:
        await client.set_class_state(room, 1)
        await client.list_records(room)
        events = await client.poll_events()
    return [event.room_uuid for event in events]


@pytest.mark.parametrize("room", chunks(ALPHABET, 30))
async def test_every_allowed_character_round_trips(server: SandboxServer, room: str) -> None:
    assert await round_trip(server, room) == [room]


@pytest.mark.parametrize("room", ["physics lab #2", "a?b", "50%", "[x]{y}|z^", "%2F", "..", "."])
async def test_awkward_names_round_trip(server: SandboxServer, room: str) -> None:
    assert await round_trip(server, room) == [room]


valid_rooms = st.text(alphabet=ALPHABET, min_size=1, max_size=64)
invalid_rooms = st.one_of(
    st.text(min_size=1, max_size=80).filter(lambda s: api.room_uuid_problem(s) is not None),
    st.text(alphabet=ALPHABET, min_size=65, max_size=90),
    st.just(""),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(room=valid_rooms)
def test_any_valid_room_goes_through_unchanged(server: SandboxServer, room: str) -> None:
    # Each example gets a fresh name space: the same name may come twice, and a started
    # class cannot start again, so reset it to a new room when seen before.
    with server.world.lock:
        existing = room in {r["roomUuid"] for r in server.world.room_summaries()}
    if existing:
        return
    assert asyncio.run(round_trip(server, room)) == [room]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(room=invalid_rooms)
def test_any_invalid_room_is_refused_before_sending(server: SandboxServer, room: str) -> None:
    before = sum(server.stats()["requestsByStatus"].values())

    async def attempt() -> None:
        async with ClassroomClient(server.settings, retry=api.NO_RETRY) as client:
            for call in (
                client.set_class_state(room, 1),
                client.set_recording_state(room, 1),
                client.list_records(room),
            ):
                with pytest.raises(api.InvalidRoomId):
                    await call

    asyncio.run(attempt())
    assert sum(server.stats()["requestsByStatus"].values()) == before
