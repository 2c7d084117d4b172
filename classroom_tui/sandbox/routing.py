"""Reading request paths the way the service does: from the raw path, one segment at a time,
so that `%2F`, `%25`, `%23` and `%3F` inside a roomUuid round-trip. An optional region segment
(`cn`, `ap`, `na`, `eu`) may precede `/edu`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_to_bytes

REGIONS = frozenset({"cn", "ap", "na", "eu"})
Endpoint = Literal["class_state", "recording_state", "records", "poll"]


@dataclass(frozen=True)
class ApiRoute:
    endpoint: Endpoint
    method: str
    app_id: str | None
    room: str | None = None  # None with room_raw set: not valid UTF-8
    state: str | None = None
    room_raw: str | None = None


def raw_path(scope: Mapping[str, Any]) -> str:
    raw = scope.get("raw_path")
    if isinstance(raw, bytes | bytearray):
        text = bytes(raw).decode("latin-1")
    else:
        text = str(scope.get("path", "/"))
    return text.partition("?")[0]


def decode_segment(segment: str) -> str | None:
    """The text of one percent-encoded path segment, or None when it is not UTF-8."""
    try:
        return unquote_to_bytes(segment.encode("latin-1")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None


def split_path(path: str) -> list[str]:
    if not path.startswith("/"):
        return []
    return path[1:].split("/")


def match_api(raw_segments: list[str]) -> ApiRoute | None:
    """The API endpoint a path names (whatever the method), or None."""
    segs = list(raw_segments)
    if len(segs) > 1 and segs[0] in REGIONS and segs[1] == "edu":
        segs = segs[1:]
    n = len(segs)
    if (
        n == 7
        and segs[:3] == ["edu", "polling", "apps"]
        and segs[4:] == ["v2", "rooms", "sequences"]
    ):
        return ApiRoute("poll", "GET", decode_segment(segs[3]))
    if n < 7 or segs[:2] != ["edu", "apps"] or segs[3:5] != ["v2", "rooms"]:
        return None
    app_id, room_raw, rest = decode_segment(segs[2]), segs[5], segs[6:]
    room = decode_segment(room_raw)
    if len(rest) == 2 and rest[0] == "states":
        return ApiRoute("class_state", "PUT", app_id, room, rest[1], room_raw)
    if len(rest) == 3 and rest[:2] == ["records", "states"]:
        return ApiRoute("recording_state", "PUT", app_id, room, rest[2], room_raw)
    if rest == ["records"]:
        return ApiRoute("records", "GET", app_id, room, None, room_raw)
    return None


def parse_state(text: str | None) -> int | None:
    """A state path segment as an int, or None when it is not a plain decimal number."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)
