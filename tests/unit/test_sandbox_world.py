"""The sandbox world without HTTP: state machines, paging, queue, retention, determinism."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from classroom_tui.api.rooms import room_uuid_problem
from classroom_tui.sandbox import FaultSpec, SandboxError, Simulation, World, seed_world
from classroom_tui.sandbox.routing import decode_segment, match_api, parse_state, split_path


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_world(seed: int = 7, **kwargs) -> World:
    world = World("app", seed=seed, clock=FakeClock(), **kwargs)
    seed_world(world)
    return world


def error_of(call) -> tuple[int, int | None]:
    with pytest.raises(SandboxError) as caught:
        call()
    return caught.value.http_status, caught.value.code


def test_class_state_transitions():
    world = make_world()
    world.set_class_state("demo room", 0)
    assert world.queued == 0
    world.set_class_state("demo room", 1)
    assert error_of(lambda: world.set_class_state("demo room", 0)) == (409, 30409100)
    assert error_of(lambda: world.set_class_state("demo room", 1)) == (409, 30409100)
    assert error_of(lambda: world.set_class_state("demo room", 3)) == (400, 400)
    world.set_class_state("demo room", 2)
    for state in (0, 1, 2):
        assert error_of(lambda s=state: world.set_class_state("demo room", s)) == (409, 30409101)
    events = world.poll()
    assert [(e["cmd"], e["data"]["state"]) for e in events] == [(1, 1), (1, 2)]


def test_recording_transitions():
    world = make_world()
    assert error_of(lambda: world.set_recording_state("demo room", 2)) == (409, 30409410)
    assert error_of(lambda: world.set_recording_state("demo room", 0)) == (409, 30409410)
    world.set_recording_state("demo room", 1)
    assert error_of(lambda: world.set_recording_state("demo room", 1)) == (409, 30409411)
    world.clock.now += 90  # type: ignore[attr-defined]
    world.set_recording_state("demo room", 2)
    record = world.list_records("demo room", None)["list"][-1]
    assert record["status"] == 2 and record["endTime"] - record["startTime"] == 90_000
    assert record["url"].endswith(".m3u8")
    assert error_of(lambda: world.set_recording_state("demo room", 5)) == (400, 400)


def test_unknown_room_without_auto_create():
    world = make_world(auto_create_rooms=False)
    for call in (
        lambda: world.set_class_state("ghost", 1),
        lambda: world.set_recording_state("ghost", 1),
        lambda: world.list_records("ghost", None),
    ):
        assert error_of(call) == (404, 20404100)


def test_paging():
    world = make_world()
    first = world.list_records("biology archive", None)
    second = world.list_records("biology archive", first["nextId"])
    third = world.list_records("biology archive", second["nextId"])
    assert [p["count"] for p in (first, second, third)] == [100, 100, 50]
    assert third["nextId"] is None and first["total"] == 250
    assert error_of(lambda: world.list_records("biology archive", "zzz")) == (400, 400)


def test_retention_drops_events_older_than_an_hour():
    world = make_world()
    clock: FakeClock = world.clock  # type: ignore[assignment]
    world.set_class_state("demo room", 1)
    clock.now += 1800
    world.set_class_state("office hours", 1)
    clock.now += 1801
    events = world.poll()
    assert [e["roomUuid"] for e in events] == ["office hours"]
    assert world.stats()["expired"] == 1


def test_queue_bound():
    world = make_world(max_queue=10)
    world.enqueue_raw({"roomUuid": "demo room", "cmd": 3} for _ in range(15))
    assert world.queued == 10 and world.stats()["overflowed"] == 5


def test_poll_batch_size_and_fetch_once():
    world = make_world(batch_size=7)
    world.enqueue_raw({"roomUuid": "demo room", "cmd": 3} for _ in range(10))
    assert len(world.poll()) == 7 and len(world.poll()) == 3 and world.poll() == []


def test_simulation_is_deterministic_under_a_seed():
    streams = []
    for _ in range(2):
        world = make_world(seed=42, batch_size=10_000)
        Simulation(world, seed=42).generate(3000)
        streams.append(world.poll())
    assert streams[0] == streams[1]
    other = make_world(seed=43, batch_size=10_000)
    Simulation(other, seed=43).generate(3000)
    assert other.poll() != streams[0]


def test_simulation_is_independent_of_tick_sizes():
    whole = make_world(seed=5, batch_size=10_000)
    Simulation(whole, seed=5).generate(1000)
    pieces = make_world(seed=5, batch_size=10_000)
    sim = Simulation(pieces, seed=5)
    rng = random.Random(1)
    while pieces.generated < whole.generated:
        sim.generate(min(rng.randint(1, 40), whole.generated - pieces.generated))
    assert pieces.poll() == whole.poll()


def test_seeded_records_are_deterministic():
    a, b = make_world(seed=3), make_world(seed=3)
    assert a.list_records("biology archive", None) == b.list_records("biology archive", None)


def test_simulation_produces_every_event_kind_with_data():
    world = make_world(batch_size=100_000)
    Simulation(world, seed=1).generate(5000)
    events = world.poll()
    kinds = Counter(e["cmd"] for e in events)
    assert set(kinds) == {1, 3, 20, 1001, 1003, 1101, 1501, 1502, 1110}
    sample = {e["cmd"]: e["data"] for e in events}
    assert {"fromUser", "message", "type"} <= sample[3].keys()
    assert {"total", "onlineUsers", "offlineUsers"} <= sample[20].keys()
    assert {"resources", "operator", "action"} <= sample[1003].keys()
    assert {"rewardDetails", "updateTime"} <= sample[1101].keys()
    assert {"acceptedUsers", "addAcceptedUsers", "removeAcceptedUsers"} <= sample[1501].keys()
    assert {"progressUsers", "addProgressUsers", "removeProgressUsers"} <= sample[1502].keys()
    assert {"action", "widgetUuid", "changeProperties", "fromUser", "operator"} <= sample[
        1110
    ].keys()
    ended = [e for e in events if e["cmd"] == 1 and e["data"]["state"] == 2]
    assert ended  # classes end, and new sessions start in new rooms
    assert any(" (" in e["roomUuid"] for e in events)
    for event in events:
        assert room_uuid_problem(event["roomUuid"]) is None
    per_room: dict[str, list[int]] = {}
    for event in events:
        per_room.setdefault(event["roomUuid"], []).append(event["sequence"])
    assert all(s == list(range(1, len(s) + 1)) for s in per_room.values())
    assert world.rooms["demo room"].sequence == 0


def test_simulation_abandons_rooms_a_person_touches():
    world = make_world()
    sim = Simulation(world, seed=1)
    sim.generate(20)
    busy = [s.room.uuid for s, _ in sim._sessions]
    world.set_class_state(busy[0], 2)
    world.poll()
    sim.generate(500)
    assert all(e["roomUuid"] != busy[0] for e in world.poll())


def test_fault_spec_parse():
    spec = FaultSpec.parse(
        "latency=0.2, error500=0.1,html503=0.05,ratelimit=0.05,retry_after=1,hang=0.02,"
        "hang_seconds=30,drop=0.02,malformed=0.02,reorder=0.5,gap=0.01"
    )
    assert spec.error500 == 0.1 and spec.retry_after == 1 and spec.gap == 0.01
    assert FaultSpec.parse(spec.to_spec()) == spec
    assert FaultSpec.parse("") == FaultSpec.parse("none") == FaultSpec()
    assert not FaultSpec().active and spec.active


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("bogus=1", "unknown fault"),
        ("error500", "name=value"),
        ("error500=abc", "not a number"),
        ("error500=1.5", "within 0-1"),
        ("error500=0.5,drop=0.6", "at most 1"),
        ("latency=-0.1", "non-negative"),
        ("retry_after=0.5", "whole"),
        ("gap=inf", "finite"),
        ("drop=0.1,drop=0.1", "twice"),
    ],
)
def test_fault_spec_errors(spec: str, fragment: str):
    with pytest.raises(ValueError, match=fragment):
        FaultSpec.parse(spec)


def test_fault_choice_is_seeded_and_proportional():
    spec = FaultSpec.parse("error500=0.25,drop=0.25")
    picks = [spec.choose(random.Random(9)) for _ in range(3)]
    assert len(set(picks)) == 1
    rng = random.Random(0)
    counts = Counter(spec.choose(rng) for _ in range(4000))
    assert 800 < counts["error500"] < 1200 and 800 < counts["drop"] < 1200
    assert 1800 < counts[None] < 2200


def test_routing_decodes_raw_segments():
    route = match_api(split_path("/eu/edu/apps/app/v2/rooms/a%3Fb%2F%25%23/records/states/1"))
    assert route is not None and route.endpoint == "recording_state"
    assert route.room == "a?b/%#" and route.state == "1" and route.app_id == "app"
    assert decode_segment("%FF") is None
    assert match_api(split_path("/edu/apps/app/v2/rooms/r/states/1/x")) is None
    assert match_api(split_path("/xx/edu/polling/apps/a/v2/rooms/sequences")) is None
    assert parse_state("1") == 1 and parse_state("+1") is None and parse_state("１") is None
