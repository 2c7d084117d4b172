"""Byte packing used by RTM tokens: little-endian integers, length-prefixed strings and
privilege maps (spec/rtm-token.md, "Packing"). Knows nothing about tokens themselves."""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from collections.abc import Mapping

U16_MAX = 0xFFFF
U32_MAX = 0xFFFFFFFF


class CodecError(ValueError):
    """Bytes or text that do not decode as expected; the message says what was wrong."""


class TruncatedData(CodecError):
    """The bytes end before the value being read, or do not hold what was expected."""


def b64decode_lenient(text: str) -> bytes:
    """Standard-alphabet base64, tolerating missing padding."""
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise CodecError("it is not valid base64") from error


def inflate_limited(data: bytes, max_size: int) -> bytes:
    """zlib-decompress `data`, refusing output larger than `max_size` bytes."""
    inflater = zlib.decompressobj()
    try:
        output = inflater.decompress(data, max_size)
    except zlib.error as error:
        raise CodecError("its content is not zlib-compressed data") from error
    if inflater.unconsumed_tail:
        raise CodecError("its content is implausibly large")
    if not inflater.eof:
        raise CodecError("its compressed content is cut short")
    return output


def pack_u16(value: int) -> bytes:
    return struct.pack("<H", value)


def pack_u32(value: int) -> bytes:
    return struct.pack("<I", value)


def pack_bytes(value: bytes) -> bytes:
    if len(value) > U16_MAX:
        raise ValueError(f"a packed value holds at most {U16_MAX} bytes, not {len(value)}")
    return pack_u16(len(value)) + value


def pack_string(value: str) -> bytes:
    return pack_bytes(value.encode("utf-8"))


def pack_privileges(privileges: Mapping[int, int]) -> bytes:
    entries = b"".join(pack_u16(key) + pack_u32(privileges[key]) for key in sorted(privileges))
    return pack_u16(len(privileges)) + entries


class Reader:
    """Reads packed values from the front of a byte string, in order."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    @property
    def offset(self) -> int:
        return self._offset

    @property
    def remaining(self) -> int:
        return len(self._data) - self._offset

    def take(self, size: int) -> bytes:
        if size > self.remaining:
            raise TruncatedData(f"its content ends early (offset {self._offset})")
        chunk = self._data[self._offset : self._offset + size]
        self._offset += size
        return chunk

    def u16(self) -> int:
        value: int = struct.unpack("<H", self.take(2))[0]
        return value

    def u32(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def bytes_value(self) -> bytes:
        return self.take(self.u16())

    def string(self) -> str:
        raw = self.bytes_value()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TruncatedData(f"a text field is not UTF-8 (offset {self._offset})") from error

    def privileges(self) -> dict[int, int]:
        count = self.u16()
        privileges: dict[int, int] = {}
        for _ in range(count):
            key = self.u16()
            privileges[key] = self.u32()
        return privileges

    def expect_end(self) -> None:
        if self.remaining:
            raise TruncatedData(f"{self.remaining} unexpected bytes follow its last field")
