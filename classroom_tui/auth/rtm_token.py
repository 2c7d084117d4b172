"""RTM tokens: mint AccessToken2 ("007") tokens, read 007 and older "006" tokens, verify them.

Implemented from spec/rtm-token.md. Secrets (the App Certificate, signing keys) never appear in
an error message or in `TokenInfo`.

About "006" tokens: their content is `signature, crc32(account), crc32(""), message` where the
message holds salt, ts and the privileges. The account itself is not stored, only its CRC32, so
`decode_token` reports `user_id=None` for them; `verify_rtm_token` checks the CRC32 and the
signature (which covers the account) instead.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import time
import zlib
from dataclasses import dataclass

from .token_codec import (
    U32_MAX,
    CodecError,
    Reader,
    b64decode_lenient,
    inflate_limited,
    pack_privileges,
    pack_string,
    pack_u16,
    pack_u32,
)

MAX_LIFETIME = 24 * 3600
DEFAULT_LIFETIME = 3600

VERSION_007 = "007"
VERSION_006 = "006"
SERVICE_RTC = 1
SERVICE_RTM = 2
RTM_LOGIN = 1
RTM_LOGIN_006 = 1000
SERVICE_NAMES = {1: "RTC", 2: "RTM", 3: "streaming", 4: "FPA", 5: "chat", 7: "education"}
# How many string fields follow a service's privilege map, for the layouts this tool knows.
_SERVICE_STRING_FIELDS = {1: 2, 2: 1, 4: 0, 5: 1}
_SALT_RANGE = (1, 99_999_999)
_MAX_TOKEN_CHARS = 8192
_MAX_PAYLOAD_BYTES = 65536
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_WHITESPACE = re.compile(r"\s+")


class TokenError(ValueError):
    """A token could not be minted, read or accepted; the message is one clear sentence."""


class MalformedToken(TokenError):
    """The text is not a token this tool can read."""


class TokenExpired(TokenError):
    """The token was valid once but its lifetime has passed."""


class WrongAppId(TokenError):
    """The token was minted for another App ID."""


class WrongUser(TokenError):
    """The token was minted for another uid, or for no RTM user at all."""


class BadSignature(TokenError):
    """The signature does not match: tampered token or another App Certificate."""


@dataclass(frozen=True)
class ServiceInfo:
    type: int
    type_name: str
    privileges: dict[int, int]


def _service(service_type: int, privileges: dict[int, int]) -> ServiceInfo:
    name = SERVICE_NAMES.get(service_type, f"unknown ({service_type})")
    return ServiceInfo(service_type, name, privileges)


@dataclass(frozen=True)
class TokenInfo:
    """What a token holds, without secrets. `expire` is absolute unix seconds."""

    version: str
    app_id: str
    issue_ts: int
    expire: int
    salt: int
    services: tuple[ServiceInfo, ...]
    user_id: str | None

    def expires_in(self, now: float | None = None) -> float:
        return self.expire - (time.time() if now is None else now)

    def is_expired(self, now: float | None = None) -> bool:
        return self.expires_in(now) <= 0

    def to_json(self) -> dict[str, object]:
        services = [
            {"type": s.type, "privileges": {str(k): v for k, v in sorted(s.privileges.items())}}
            for s in self.services
        ]
        return {
            "version": self.version,
            "app_id": self.app_id,
            "issue_ts": self.issue_ts,
            "expire": self.expire,
            "salt": self.salt,
            "services": services,
            "user_id": self.user_id,
        }


# ---------------------------------------------------------------- input checks


def is_valid_certificate(value: str) -> bool:
    """True for 32 hexadecimal characters (the shape of App IDs and App Certificates)."""
    return isinstance(value, str) and _HEX32.fullmatch(value) is not None


def _check_app_id(app_id: str) -> None:
    if not is_valid_certificate(app_id):
        raise TokenError("the App ID must be 32 hexadecimal characters")


def _check_certificate(app_certificate: str) -> None:
    if not is_valid_certificate(app_certificate):
        raise TokenError("the App Certificate must be 32 hexadecimal characters")


def _check_user_id(user_id: str) -> None:
    if not isinstance(user_id, str) or not user_id:
        raise TokenError("the uid must not be empty")
    try:
        encoded = user_id.encode("utf-8")
    except UnicodeEncodeError:
        raise TokenError("the uid is not valid text") from None
    if len(encoded) > 0xFFFF:
        raise TokenError("the uid is too long")


def _check_int(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise TokenError(f"{name} must be a whole number from {low} to {high}")


# ---------------------------------------------------------------- minting


def _signing_key(app_certificate: str, issue_ts: int, salt: int) -> bytes:
    first = hmac.digest(pack_u32(issue_ts), app_certificate.encode("ascii"), "sha256")
    return hmac.digest(pack_u32(salt), first, "sha256")


def _rtm_signing_info(app_id: str, user_id: str, expire: int, issue_ts: int, salt: int) -> bytes:
    header = pack_string(app_id) + pack_u32(issue_ts) + pack_u32(expire) + pack_u32(salt)
    rtm = pack_u16(SERVICE_RTM) + pack_privileges({RTM_LOGIN: expire}) + pack_string(user_id)
    return header + pack_u16(1) + rtm


def build_rtm_token(
    app_id: str,
    app_certificate: str,
    user_id: str,
    expire: int,
    *,
    issue_ts: int | None = None,
    salt: int | None = None,
) -> str:
    """Mint an AccessToken2 ("007") RTM token valid `expire` seconds from `issue_ts` (now)."""
    _check_app_id(app_id)
    _check_certificate(app_certificate)
    _check_user_id(user_id)
    _check_int("the lifetime (seconds)", expire, 1, MAX_LIFETIME)
    issue_ts = int(time.time()) if issue_ts is None else issue_ts
    salt = secrets.randbelow(_SALT_RANGE[1]) + _SALT_RANGE[0] if salt is None else salt
    _check_int("the issue time", issue_ts, 0, U32_MAX)
    _check_int("the salt", salt, 0, U32_MAX)
    signing_info = _rtm_signing_info(app_id, user_id, expire, issue_ts, salt)
    signature = hmac.digest(_signing_key(app_certificate, issue_ts, salt), signing_info, "sha256")
    payload = pack_u16(len(signature)) + signature + signing_info
    return VERSION_007 + base64.b64encode(zlib.compress(payload)).decode("ascii")


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class _SignedToken:
    """A decoded token with what is needed to check its signature."""

    info: TokenInfo
    signature: bytes
    signed_message: bytes
    account_crc: int | None = None  # 006 only


def _read_007_services(reader: Reader) -> tuple[tuple[ServiceInfo, ...], str | None]:
    services: list[ServiceInfo] = []
    user_id: str | None = None
    for _ in range(reader.u16()):
        service_type = reader.u16()
        privileges = reader.privileges()
        if service_type not in _SERVICE_STRING_FIELDS:
            name = SERVICE_NAMES.get(service_type, "unknown")
            raise MalformedToken(
                f"the token holds a {name} service (type {service_type}) this tool cannot read"
            )
        fields = [reader.string() for _ in range(_SERVICE_STRING_FIELDS[service_type])]
        if service_type == SERVICE_RTM:
            user_id = fields[0]
        services.append(_service(service_type, privileges))
    return tuple(services), user_id


def _decode_007(body: str) -> _SignedToken:
    payload = inflate_limited(b64decode_lenient(body), _MAX_PAYLOAD_BYTES)
    reader = Reader(payload)
    signature = reader.bytes_value()
    signed_message = payload[reader.offset :]
    app_id = reader.string()
    issue_ts, expire, salt = reader.u32(), reader.u32(), reader.u32()
    services, user_id = _read_007_services(reader)
    reader.expect_end()
    info = TokenInfo(VERSION_007, app_id, issue_ts, issue_ts + expire, salt, services, user_id)
    return _SignedToken(info, signature, signed_message)


def _services_006(privileges: dict[int, int]) -> tuple[ServiceInfo, ...]:
    rtm = {k: v for k, v in privileges.items() if k == RTM_LOGIN_006}
    rtc = {k: v for k, v in privileges.items() if k != RTM_LOGIN_006}
    services = [_service(SERVICE_RTM, rtm)] if rtm else []
    return tuple(services + ([_service(SERVICE_RTC, rtc)] if rtc else []))


def _decode_006(body: str) -> _SignedToken:
    app_id = body[:32]
    if not is_valid_certificate(app_id):
        raise MalformedToken("the 006 token does not start with a 32-character App ID")
    reader = Reader(b64decode_lenient(body[32:]))
    signature = reader.bytes_value()
    account_crc, _uid_crc = reader.u32(), reader.u32()
    message = reader.bytes_value()
    reader.expect_end()
    inner = Reader(message)
    salt, ts, privileges = inner.u32(), inner.u32(), inner.privileges()
    inner.expect_end()
    expire = privileges.get(RTM_LOGIN_006, 0)
    info = TokenInfo(VERSION_006, app_id, ts, expire, salt, _services_006(privileges), None)
    return _SignedToken(info, signature, message, account_crc)


def _decode_signed(token: str) -> _SignedToken:
    if not isinstance(token, str):
        raise MalformedToken("a token must be text")
    text = _WHITESPACE.sub("", token)
    if not text:
        raise MalformedToken("the token is empty")
    if len(text) > _MAX_TOKEN_CHARS:
        raise MalformedToken("the token is far longer than any RTM token")
    version, body = text[:3], text[3:]
    decoders = {VERSION_007: _decode_007, VERSION_006: _decode_006}
    if version not in decoders:
        raise MalformedToken("the token does not start with 007 or 006, so it is not an RTM token")
    try:
        return decoders[version](body)
    except CodecError as error:
        raise MalformedToken(f"the token is damaged: {error}") from error


def decode_token(token: str) -> TokenInfo:
    """Read a 007 or 006 token without checking its signature (no certificate needed)."""
    return _decode_signed(token).info


# ---------------------------------------------------------------- verifying


def _expected_signature(signed: _SignedToken, app_certificate: str, user_id: str) -> bytes:
    info = signed.info
    if info.version == VERSION_007:
        key = _signing_key(app_certificate, info.issue_ts, info.salt)
        return hmac.digest(key, signed.signed_message, "sha256")
    message = info.app_id.encode("ascii") + user_id.encode("utf-8") + signed.signed_message
    return hmac.digest(app_certificate.encode("ascii"), message, "sha256")


def _check_user(signed: _SignedToken, user_id: str) -> None:
    info = signed.info
    if not any(service.type == SERVICE_RTM for service in info.services):
        raise WrongUser("the token carries no RTM login, so it cannot authenticate a uid")
    if info.version == VERSION_007:
        matches = info.user_id == user_id
    else:
        matches = signed.account_crc == zlib.crc32(user_id.encode("utf-8"))
    if not matches:
        raise WrongUser("the token was minted for another uid")


def _check_lifetime(info: TokenInfo, now: float) -> None:
    if info.is_expired(now):
        raise TokenExpired("the token has expired")
    if info.version == VERSION_007:
        for service in info.services:
            login = service.privileges.get(RTM_LOGIN) if service.type == SERVICE_RTM else None
            if login is not None and info.issue_ts + login <= now:
                raise TokenExpired("the token's RTM login privilege has expired")


def verify_rtm_token(
    token: str, *, app_id: str, app_certificate: str, user_id: str, now: float | None = None
) -> TokenInfo:
    """Check that `token` is a genuine, unexpired RTM token for `app_id` and `user_id`.

    Checks in order: readable, App ID, signature, uid, lifetime; raises the matching
    `TokenError` subclass for the first that fails."""
    _check_app_id(app_id)
    _check_certificate(app_certificate)
    _check_user_id(user_id)
    signed = _decode_signed(token)
    if signed.info.app_id != app_id:
        raise WrongAppId("the token was minted for another App ID")
    expected = _expected_signature(signed, app_certificate, user_id)
    if not hmac.compare_digest(expected, signed.signature):
        if signed.info.version == VERSION_006:
            _check_user(signed, user_id)  # a 006 signature covers the uid: name that cause
        raise BadSignature(
            "the token's signature does not match: it was altered or signed with another "
            "App Certificate"
        )
    _check_user(signed, user_id)
    _check_lifetime(signed.info, time.time() if now is None else now)
    return signed.info
