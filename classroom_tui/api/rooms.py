"""The roomUuid rules of the spec: at most 64 bytes of UTF-8, drawn from 89 characters."""

from __future__ import annotations

import string
from urllib.parse import quote

from .errors import InvalidInput

MAX_ROOM_UUID_BYTES = 64
ROOM_UUID_PUNCTUATION = " !#$%&()+-:;<=.>?@[]^_{}|~,"
ROOM_UUID_ALPHABET = frozenset(
    string.ascii_lowercase + string.ascii_uppercase + string.digits + ROOM_UUID_PUNCTUATION
)


class InvalidRoomId(InvalidInput):
    """A roomUuid that the service would not accept; nothing was sent."""

    def __init__(self, room_uuid: str, reason: str) -> None:
        self.room_uuid = room_uuid
        self.reason = reason
        super().__init__(reason)


def room_uuid_problem(room_uuid: str) -> str | None:
    """Why `room_uuid` is not a valid roomUuid, or None when it is."""
    if not room_uuid:
        return "room id is empty"
    for position, char in enumerate(room_uuid, start=1):
        if char not in ROOM_UUID_ALPHABET:
            shown = (
                repr(char) if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
            )
            return f"character {shown} at position {position} is not allowed in a room id"
    size = len(room_uuid.encode("utf-8"))
    if size > MAX_ROOM_UUID_BYTES:
        return f"room id is {size} bytes long; the limit is {MAX_ROOM_UUID_BYTES}"
    return None


def validate_room_uuid(room_uuid: str) -> str:
    """Return `room_uuid` unchanged, or raise InvalidRoomId saying what is wrong."""
    problem = room_uuid_problem(room_uuid)
    if problem is not None:
        raise InvalidRoomId(room_uuid, problem)
    return room_uuid


def encode_path_segment(value: str) -> str:
    """Percent-encode one URL path segment: every character outside the unreserved set.

    A segment of only dots ("." or "..") is encoded too: left bare, URL normalisation would
    read it as "this folder" or "the parent folder" and address another resource."""
    if value and set(value) == {"."}:
        return "%2E" * len(value)
    return quote(value, safe="")
