"""Turn an event into words: its kind by name and a one-line summary of its data.

The decoder remembers user names per room from join events, so that later events that carry
only a userUuid (rewards, stage, hand raise) can name the person."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..api.models import Event
from . import names as n

Summarizer = Callable[[Mapping[str, Any], "UserDirectory", str], str]


class UserDirectory:
    """userUuid -> userName per room, learned from the events seen so far (bounded)."""

    def __init__(self, limit: int = 20_000) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._limit = limit

    def learn(self, room: str, user: Any) -> None:
        if isinstance(user, Mapping):
            uuid, name = user.get("userUuid"), user.get("userName")
            if isinstance(uuid, str) and isinstance(name, str) and name:
                if len(self._names) >= self._limit:
                    self._names.pop(next(iter(self._names)))
                self._names[(room, uuid)] = name

    def name(self, room: str, user: Any) -> str:
        if not isinstance(user, Mapping):
            return "?"
        name = user.get("userName")
        if isinstance(name, str) and name:
            return name
        uuid = user.get("userUuid")
        if not isinstance(uuid, str):
            return "?"
        return self._names.get((room, uuid), uuid)


@dataclass(frozen=True, slots=True)
class DecodedEvent:
    event: Event
    kind: str
    summary: str

    def line(self, received_at: datetime | None = None) -> str:
        """One readable line: local time, room, sequence, kind, summary."""
        when = (received_at or datetime.now()).strftime("%H:%M:%S")
        e = self.event
        return f"{when}  {e.room_uuid}  #{e.sequence}  {self.kind}  {self.summary}"


class EventDecoder:
    def __init__(self, directory: UserDirectory | None = None) -> None:
        self.directory = directory or UserDirectory()

    def decode(self, event: Event) -> DecodedEvent:
        summarizer = _SUMMARIZERS.get(event.cmd)
        if summarizer is None:
            return DecodedEvent(event, n.UNKNOWN_KIND, f"unknown (cmd {event.cmd})")
        try:
            summary = summarizer(event.data, self.directory, event.room_uuid)
        except (TypeError, ValueError, AttributeError, KeyError):
            summary = f"unreadable data: {_compact(event.data)}"
        return DecodedEvent(event, n.kind_name(event.cmd), summary)


def _person(user: Any, directory: UserDirectory, room: str, with_role: bool = True) -> str:
    name = directory.name(room, user)
    if with_role and isinstance(user, Mapping) and "role" in user:
        return f"{name} ({n.role_name(user.get('role'))})"
    return name


def _class_state(data: Mapping[str, Any], _d: UserDirectory, _room: str) -> str:
    state = data.get("state")
    if isinstance(state, int) and state in n.CLASS_STATE_WORDS:
        return n.CLASS_STATE_WORDS[state]
    return f"class state {state}"


def _chat(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    sender = data.get("fromUser")
    directory.learn(room, sender)
    message = str(data.get("message", "")).replace("\n", " ")
    return f"chat {_person(sender, directory, room, with_role=False)}: {message}"


def _users(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    online = [u for u in _list(data.get("onlineUsers")) if isinstance(u, Mapping)]
    offline = [u for u in _list(data.get("offlineUsers")) if isinstance(u, Mapping)]
    for user in online:
        directory.learn(room, user)
    parts: list[str] = []
    joined = [u for u in online if u.get("type") != 2]
    back = [u for u in online if u.get("type") == 2]
    left = [u for u in offline if u.get("type") != 2]
    kicked = [u for u in offline if u.get("type") == 2]
    for group, verb in ((joined, "joined"), (back, "reconnected"), (left, "left")):
        if group:
            parts.append(f"{_people(group, directory, room)} {verb}")
    if kicked:
        parts.append(f"{_people(kicked, directory, room)} kicked out")
    text = "; ".join(parts) or "user list changed"
    total = data.get("total")
    if isinstance(total, int):
        text += f" · {total} online"
    return text


def _people(users: list[Mapping[str, Any]], directory: UserDirectory, room: str) -> str:
    shown = [_person(u, directory, room) for u in users[:3]]
    if len(users) > 3:
        shown.append(f"+{len(users) - 3} more")
    return ", ".join(shown)


def _recording(data: Mapping[str, Any], _d: UserDirectory, _room: str) -> str:
    if data.get("state") == 1:
        record_id = data.get("recordId")
        return f"recording started {record_id}" if record_id else "recording started"
    return "recording stopped"


def _resources(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    verb = "deleted" if data.get("action") == 2 else "added"
    resources = [r for r in _list(data.get("resources")) if isinstance(r, Mapping)]
    titles = [str(r.get("resourceName") or r.get("resourceUuid") or "?") for r in resources]
    who = data.get("operator")
    by = f" by {_person(who, directory, room, with_role=False)}" if who else ""
    return f"resources {verb}{by}: {', '.join(titles) or 'none'}"


def _rewards(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    parts = []
    for detail in _list(data.get("rewardDetails")):
        if isinstance(detail, Mapping):
            name = directory.name(room, detail)
            change = detail.get("changedReward")
            sign = "+" if isinstance(change, int) and change >= 0 else ""
            parts.append(f"{name} {sign}{change} (total {detail.get('totalReward')})")
    return "rewards " + (", ".join(parts) if parts else "changed")


def _change_list(
    data: Mapping[str, Any], keys: tuple[str, str, str], directory: UserDirectory, room: str
) -> tuple[str, int]:
    current, added, removed = (_list(data.get(key)) for key in keys)
    changes = [f"+{directory.name(room, u)}" for u in added]
    changes += [f"-{directory.name(room, u)}" for u in removed]
    return " ".join(changes) or "no change", len(current)


def _stage(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    keys = ("acceptedUsers", "addAcceptedUsers", "removeAcceptedUsers")
    changes, count = _change_list(data, keys, directory, room)
    return f"on stage {changes} · {count} on stage"


def _hands(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    keys = ("progressUsers", "addProgressUsers", "removeProgressUsers")
    changes, count = _change_list(data, keys, directory, room)
    return f"hands {changes} · {count} waiting"


def _widget(data: Mapping[str, Any], directory: UserDirectory, room: str) -> str:
    widget = data.get("widgetUuid", "?")
    verb = "deleted" if data.get("action") == 2 else "set"
    who = data.get("fromUser") or data.get("operator")
    by = f" by {_person(who, directory, room, with_role=False)}" if who else ""
    props = data.get("changeProperties")
    shown = f": {_compact(props, 60)}" if props else ""
    return f"widget {widget} {verb}{by}{shown}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _compact(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SUMMARIZERS: dict[int, Summarizer] = {
    n.CMD_CLASS_STATE: _class_state,
    n.CMD_CHAT: _chat,
    n.CMD_USERS: _users,
    n.CMD_RECORDING: _recording,
    n.CMD_RESOURCES: _resources,
    n.CMD_REWARDS: _rewards,
    n.CMD_STAGE: _stage,
    n.CMD_HANDS: _hands,
    n.CMD_WIDGET: _widget,
}
