from __future__ import annotations

import pytest

from classroom_tui.api import (
    ROOM_UUID_ALPHABET,
    InvalidRoomId,
    encode_path_segment,
    room_uuid_problem,
    validate_room_uuid,
)


def test_alphabet_has_the_89_characters_of_the_spec() -> None:
    assert len(ROOM_UUID_ALPHABET) == 89
    assert set("!#$%&()+-:;<=.>?@[]^_{}|~, ") <= ROOM_UUID_ALPHABET


@pytest.mark.parametrize("room", ["physics lab #2", "a?b", "50%", "[x]{y}|z^", "x" * 64])
def test_valid_rooms(room: str) -> None:
    assert validate_room_uuid(room) == room


@pytest.mark.parametrize(
    ("room", "fragment"),
    [
        ("", "empty"),
        ("a/b", "'/' at position 2"),
        ("tab\there", "U+0009 at position 4"),
        ("café", "'é' at position 4"),
        ('say "hi"', "'\"' at position 5"),
        ("x" * 65, "65 bytes long; the limit is 64"),
    ],
)
def test_invalid_rooms_say_why(room: str, fragment: str) -> None:
    problem = room_uuid_problem(room)
    assert problem is not None and fragment in problem
    with pytest.raises(InvalidRoomId, match=r"room id|position|bytes"):
        validate_room_uuid(room)


@pytest.mark.parametrize(
    ("room", "encoded"),
    [
        ("physics lab #2", "physics%20lab%20%232"),
        ("a?b", "a%3Fb"),
        ("50%", "50%25"),
        ("[x]{y}|z^", "%5Bx%5D%7By%7D%7Cz%5E"),
        ("a<b>=c", "a%3Cb%3E%3Dc"),
        (".", "%2E"),
        ("..", "%2E%2E"),
        ("...", "%2E%2E%2E"),
        ("a.b", "a.b"),
    ],
)
def test_path_segment_encoding(room: str, encoded: str) -> None:
    assert encode_path_segment(room) == encoded
