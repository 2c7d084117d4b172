"""One-line summaries of every event kind, as a support engineer reads them."""

from __future__ import annotations

from typing import Any

import pytest

from classroom_tui.api import Event
from classroom_tui.events import EventDecoder, cmd_for_name, kind_name

ALICE = {"userUuid": "u-alice", "userName": "Alice", "role": 1}
BOB = {"userUuid": "u-bob", "userName": "Bob", "role": 2}


def event(cmd: int, data: dict[str, Any], room: str = "physics lab #2", seq: int = 1) -> Event:
    raw = {"roomUuid": room, "cmd": cmd, "sequence": seq, "version": 1, "data": data}
    return Event.from_json(raw)


@pytest.mark.parametrize(
    ("cmd", "data", "kind", "summary"),
    [
        (1, {"state": 1, "startTime": 1}, "class", "class started"),
        (1, {"state": 2}, "class", "class ended"),
        (1, {"state": 3}, "class", "class closed after overtime"),
        (3, {"fromUser": BOB, "message": "hello", "type": 1}, "chat", "chat Bob: hello"),
        (
            20,
            {"total": 12, "onlineUsers": [ALICE], "offlineUsers": []},
            "users",
            "Alice (teacher) joined · 12 online",
        ),
        (
            20,
            {"total": 11, "onlineUsers": [], "offlineUsers": [{**BOB, "type": 2}]},
            "users",
            "Bob (student) kicked out · 11 online",
        ),
        (1001, {"state": 1, "recordId": "rec-123"}, "recording", "recording started rec-123"),
        (1001, {"state": 0}, "recording", "recording stopped"),
        (1001, {"state": 2}, "recording", "recording stopped"),
        (
            1003,
            {"resources": [{"resourceName": "Optics.pdf"}], "operator": ALICE, "action": 1},
            "resources",
            "resources added by Alice: Optics.pdf",
        ),
        (4242, {"x": 1}, "unknown", "unknown (cmd 4242)"),
    ],
)
def test_summaries(cmd: int, data: dict[str, Any], kind: str, summary: str) -> None:
    decoded = EventDecoder().decode(event(cmd, data))
    assert (decoded.kind, decoded.summary) == (kind, summary)


def test_names_learned_from_joins_are_used_later() -> None:
    decoder = EventDecoder()
    decoder.decode(event(20, {"total": 2, "onlineUsers": [ALICE, BOB]}))
    rewards = {"rewardDetails": [{"userUuid": "u-bob", "changedReward": 1, "totalReward": 3}]}
    assert decoder.decode(event(1101, rewards)).summary == "rewards Bob +1 (total 3)"
    hands = {"progressUsers": [{"userUuid": "u-bob"}], "addProgressUsers": [{"userUuid": "u-bob"}]}
    assert decoder.decode(event(1502, hands)).summary == "hands +Bob · 1 waiting"
    stage = {"acceptedUsers": [], "removeAcceptedUsers": [{"userUuid": "u-bob"}]}
    assert decoder.decode(event(1501, stage)).summary == "on stage -Bob · 0 on stage"
    # Names are per room: the same uuid in another room is not named.
    other = decoder.decode(event(1101, rewards, room="Math 101"))
    assert other.summary == "rewards u-bob +1 (total 3)"


def test_unreadable_data_does_not_raise() -> None:
    decoded = EventDecoder().decode(event(20, {"onlineUsers": "oops", "total": "x"}))
    assert decoded.kind == "users"
    assert decoded.summary == "user list changed"


def test_other_roles_are_shown_raw() -> None:
    data = {"total": 1, "onlineUsers": [{"userUuid": "a", "userName": "Ann", "role": 7}]}
    assert EventDecoder().decode(event(20, data)).summary == "Ann (role 7) joined · 1 online"


def test_kind_names_round_trip() -> None:
    for cmd in (1, 3, 20, 1001, 1003, 1101, 1501, 1502, 1110):
        assert cmd_for_name(kind_name(cmd)) == cmd
    assert cmd_for_name("4242") == 4242
    assert cmd_for_name("nonsense") is None
