"""RTM tokens against the published vectors (spec/rtm-token.md), round trips and tampering."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classroom_tui.auth.rtm_token import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME,
    BadSignature,
    MalformedToken,
    ServiceInfo,
    TokenError,
    TokenExpired,
    TokenInfo,
    WrongAppId,
    WrongUser,
    build_rtm_token,
    decode_token,
    is_valid_certificate,
    verify_rtm_token,
)

APP_ID = "970CA35de60c44645bbae8a215061b33"
CERTIFICATE = "5CFd2fd1755d40ecb72977518be15d3b"
OTHER_CERTIFICATE = "0123456789abcdef0123456789ABCDEF"
USER = "test_user"
ISSUE_TS = 1111111
TOKEN_007 = (
    "007eJxSYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhm"
    "aGpgZJhkbu38RYIhgYmBgZABhJgZGBkYwn5OhJLW4JL60OLUIEAAA//9ZVh6A"
)
TOKEN_006 = (
    "006970CA35de60c44645bbae8a215061b33IAAsR0qgiCxv0vrpRcpkz5BrbfEWCBZ6kvR6t7qG/wJIQob86ogAAAA"
    "AEAABAAAAR/QQAAEA6AOvKDdW"
)
EXPIRY_006 = 1446455471


def payload_of(token: str) -> bytes:
    return zlib.decompress(base64.b64decode(token[3:]))


def repack(token: str, change: Callable[[bytearray], None]) -> str:
    """The token with its decompressed payload changed in place, then compressed again."""
    payload = bytearray(payload_of(token))
    change(payload)
    return "007" + base64.b64encode(zlib.compress(bytes(payload))).decode("ascii")


def verify(token: str, **overrides: object) -> TokenInfo:
    arguments: dict[str, object] = {
        "app_id": APP_ID,
        "app_certificate": CERTIFICATE,
        "user_id": USER,
        "now": ISSUE_TS + 1,
    }
    arguments.update(overrides)
    return verify_rtm_token(token, **arguments)  # type: ignore[arg-type]


# ---------------------------------------------------------------- published 007 vector


def test_minted_payload_equals_the_published_vector() -> None:
    token = build_rtm_token(APP_ID, CERTIFICATE, USER, 600, issue_ts=ISSUE_TS, salt=1)
    assert token.startswith("007")
    assert len(payload_of(TOKEN_007)) == 103
    assert payload_of(token) == payload_of(TOKEN_007)


def test_published_007_token_decodes() -> None:
    info = decode_token(TOKEN_007)
    assert info == TokenInfo(
        version="007",
        app_id=APP_ID,
        issue_ts=ISSUE_TS,
        expire=ISSUE_TS + 600,
        salt=1,
        services=(ServiceInfo(type=2, type_name="RTM", privileges={1: 600}),),
        user_id=USER,
    )


def test_published_007_token_verifies_before_expiry() -> None:
    assert verify(TOKEN_007).user_id == USER


@pytest.mark.parametrize("now", [ISSUE_TS + 600, ISSUE_TS + 601, ISSUE_TS + 10**6])
def test_published_007_token_expires(now: int) -> None:
    with pytest.raises(TokenExpired):
        verify(TOKEN_007, now=now)


# ---------------------------------------------------------------- published 006 vector


def test_published_006_token_decodes() -> None:
    info = decode_token(TOKEN_006)
    assert info.version == "006"
    assert info.app_id == APP_ID
    assert (info.salt, info.issue_ts, info.expire) == (1, ISSUE_TS, EXPIRY_006)
    assert info.services == (ServiceInfo(2, "RTM", {1000: EXPIRY_006}),)
    # A 006 token stores only crc32(account), never the account itself.
    assert info.user_id is None


def test_published_006_token_verifies_with_its_account() -> None:
    assert verify(TOKEN_006).version == "006"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"user_id": "someone_else"}, WrongUser),
        ({"app_certificate": OTHER_CERTIFICATE}, BadSignature),
        ({"app_id": "0" * 32}, WrongAppId),
        ({"now": EXPIRY_006 + 1}, TokenExpired),
    ],
)
def test_published_006_token_rejections(overrides: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        verify(TOKEN_006, **overrides)


# ---------------------------------------------------------------- round trips and rejections


@pytest.fixture
def token() -> str:
    return build_rtm_token(APP_ID, CERTIFICATE, USER, 600, issue_ts=ISSUE_TS, salt=42)


def test_round_trip(token: str) -> None:
    info = verify(token)
    assert info == decode_token(token)
    assert (info.issue_ts, info.expire) == (ISSUE_TS, ISSUE_TS + 600)
    assert (info.salt, info.user_id) == (42, USER)


def test_defaults_use_now_and_a_random_salt() -> None:
    first = decode_token(build_rtm_token(APP_ID, CERTIFICATE, USER, DEFAULT_LIFETIME))
    second = decode_token(build_rtm_token(APP_ID, CERTIFICATE, USER, DEFAULT_LIFETIME))
    assert 1 <= first.salt <= 99_999_999
    assert first.salt != second.salt or first.issue_ts != second.issue_ts
    assert 3590 < first.expires_in() <= DEFAULT_LIFETIME
    assert not first.is_expired()


@pytest.mark.parametrize("offset", [2, 20, 33])
def test_flipped_signature_byte_is_a_bad_signature(token: str, offset: int) -> None:
    def flip(payload: bytearray) -> None:
        payload[offset] ^= 0x01

    with pytest.raises(BadSignature):
        verify(repack(token, flip))


def test_changed_salt_is_a_bad_signature(token: str) -> None:
    def bump_salt(payload: bytearray) -> None:
        payload[34 + 2 + 32 + 8] ^= 0x01  # signature, app id, issue_ts, expire, then salt

    with pytest.raises(BadSignature):
        verify(repack(token, bump_salt))


def test_changed_user_is_a_bad_signature(token: str) -> None:
    def rename_user(payload: bytearray) -> None:
        payload[-1] = ord("X")

    with pytest.raises(BadSignature):
        verify(repack(token, rename_user), user_id="test_useX")


@pytest.mark.parametrize("position", [5, 30, -6, -1])
def test_flipped_text_character_is_rejected(token: str, position: int) -> None:
    characters = list(token)
    characters[position] = "B" if characters[position] != "B" else "C"
    with pytest.raises((BadSignature, MalformedToken)):
        verify("".join(characters))


def test_expired_token(token: str) -> None:
    with pytest.raises(TokenExpired):
        verify(token, now=ISSUE_TS + 600)


def test_other_user(token: str) -> None:
    with pytest.raises(WrongUser):
        verify(token, user_id="test_user2")


def test_other_app_id(token: str) -> None:
    with pytest.raises(WrongAppId):
        verify(token, app_id="970ca35de60c44645bbae8a215061b33")


def test_wrong_certificate(token: str) -> None:
    with pytest.raises(BadSignature):
        verify(token, app_certificate=OTHER_CERTIFICATE)


def test_pasted_token_tolerates_whitespace_and_missing_padding() -> None:
    token = build_rtm_token(APP_ID, CERTIFICATE, "u", 600, issue_ts=ISSUE_TS, salt=7)
    assert token.endswith("=")
    pasted = "  \n" + token.rstrip("=")[:40] + "\n" + token.rstrip("=")[40:] + " \t\n"
    assert verify(pasted, user_id="u") == decode_token(token)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "007",
        "007!!!!",
        "007abcd",
        "006short",
        TOKEN_007[:60],
        TOKEN_006[:50],
        "007" + base64.b64encode(zlib.compress(b"\x00" * 200_000)).decode(),
        "007" + base64.b64encode(zlib.compress(payload_of(TOKEN_007) + b"x")).decode(),
        "x" * 10_000,
    ],
)
def test_garbage_is_malformed(text: str) -> None:
    with pytest.raises(MalformedToken) as caught:
        decode_token(text)
    assert "\n" not in str(caught.value)
    with pytest.raises(MalformedToken):
        verify(text)


def test_errors_never_contain_the_certificate(token: str) -> None:
    attempts = [
        {"user_id": "other"},
        {"app_id": "0" * 32},
        {"app_certificate": OTHER_CERTIFICATE},
        {"now": ISSUE_TS + 10**6},
    ]
    for overrides in attempts:
        with pytest.raises(TokenError) as caught:
            verify(token, **overrides)
        assert CERTIFICATE not in str(caught.value)
        assert OTHER_CERTIFICATE not in str(caught.value)


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    ("app_id", "certificate", "user", "expire"),
    [
        ("not-hex", CERTIFICATE, USER, 600),
        (APP_ID[:-1], CERTIFICATE, USER, 600),
        (APP_ID, "g" * 32, USER, 600),
        (APP_ID, CERTIFICATE + "0", USER, 600),
        (APP_ID, CERTIFICATE, "", 600),
        (APP_ID, CERTIFICATE, "\ud800", 600),
        (APP_ID, CERTIFICATE, USER, 0),
        (APP_ID, CERTIFICATE, USER, MAX_LIFETIME + 1),
        (APP_ID, CERTIFICATE, USER, True),
    ],
)
def test_minting_rejects_bad_inputs(app_id: str, certificate: str, user: str, expire: int) -> None:
    with pytest.raises(TokenError) as caught:
        build_rtm_token(app_id, certificate, user, expire)
    assert certificate not in str(caught.value)


def test_minting_rejects_out_of_range_issue_time_and_salt() -> None:
    with pytest.raises(TokenError):
        build_rtm_token(APP_ID, CERTIFICATE, USER, 600, issue_ts=-1)
    with pytest.raises(TokenError):
        build_rtm_token(APP_ID, CERTIFICATE, USER, 600, salt=2**32)


def test_is_valid_certificate() -> None:
    assert is_valid_certificate(CERTIFICATE)
    assert is_valid_certificate(APP_ID.lower())
    for value in ["", CERTIFICATE[:-1], CERTIFICATE + "a", "z" * 32, f" {CERTIFICATE[1:]}"]:
        assert not is_valid_certificate(value)


def test_token_info_times_and_json() -> None:
    info = decode_token(TOKEN_007)
    assert info.expires_in(now=ISSUE_TS) == 600
    assert not info.is_expired(now=ISSUE_TS + 599)
    assert info.is_expired(now=ISSUE_TS + 600)
    assert info.to_json() == {
        "version": "007",
        "app_id": APP_ID,
        "issue_ts": ISSUE_TS,
        "expire": ISSUE_TS + 600,
        "salt": 1,
        "services": [{"type": 2, "privileges": {"1": 600}}],
        "user_id": USER,
    }


# ---------------------------------------------------------------- property

hex32 = st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32)


@given(
    app_id=hex32,
    certificate=hex32,
    user=st.text(min_size=1, max_size=64),
    expire=st.integers(1, MAX_LIFETIME),
    issue_ts=st.integers(0, 2**32 - 1),
    salt=st.integers(1, 99_999_999),
)
def test_build_then_verify_returns_the_inputs(
    app_id: str, certificate: str, user: str, expire: int, issue_ts: int, salt: int
) -> None:
    token = build_rtm_token(app_id, certificate, user, expire, issue_ts=issue_ts, salt=salt)
    info = verify_rtm_token(
        token, app_id=app_id, app_certificate=certificate, user_id=user, now=issue_ts
    )
    assert info == decode_token(token)
    assert (info.app_id, info.user_id, info.salt) == (app_id, user, salt)
    assert (info.issue_ts, info.expire) == (issue_ts, issue_ts + expire)
    assert info.services == (ServiceInfo(2, "RTM", {1: expire}),)
