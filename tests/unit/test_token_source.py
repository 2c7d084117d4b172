"""TokenSource: when it renews, what it says about expiry, threads, and what it never shows."""

from __future__ import annotations

import threading

import pytest

from classroom_tui.auth.rtm_token import (
    TokenError,
    build_rtm_token,
    decode_token,
    verify_rtm_token,
)
from classroom_tui.auth.token_source import TokenSource, renewal_margin

APP_ID = "970CA35de60c44645bbae8a215061b33"
CERTIFICATE = "5CFd2fd1755d40ecb72977518be15d3b"
UID = "support-1"
START = 1_800_000_000.0
TOKEN_006 = (
    "006970CA35de60c44645bbae8a215061b33IAAsR0qgiCxv0vrpRcpkz5BrbfEWCBZ6kvR6t7qG/wJIQob86ogAAAA"
    "AEAABAAAAR/QQAAEA6AOvKDdW"
)


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def minting(lifetime: int = 3600, clock: FakeClock | None = None) -> TokenSource:
    return TokenSource.minting(APP_ID, CERTIFICATE, UID, lifetime, clock=clock or FakeClock())


# ---------------------------------------------------------------- minting and renewal


def test_minted_token_verifies_for_the_uid_and_expires_after_the_lifetime() -> None:
    clock = FakeClock()
    source = minting(3600, clock)
    token = source.current()
    info = verify_rtm_token(
        token, app_id=APP_ID, app_certificate=CERTIFICATE, user_id=UID, now=clock.now
    )
    assert (info.issue_ts, info.expire) == (int(START), int(START) + 3600)
    assert source.expires_at == START + 3600
    assert source.can_renew
    assert source.lifetime == 3600


@pytest.mark.parametrize(
    ("lifetime", "margin"),
    [(3600, 360.0), (86400, 8640.0), (300, 60.0), (120, 60.0), (10, 5.0), (4, 2.0)],
)
def test_renewal_margin_is_ten_percent_with_a_scaled_floor(lifetime: int, margin: float) -> None:
    assert renewal_margin(lifetime) == margin


def test_current_keeps_the_token_until_the_margin_then_renews() -> None:
    clock = FakeClock()
    source = minting(3600, clock)
    first = source.current()
    clock.now = START + 3600 - 360  # exactly the margin left: not yet due
    assert source.current() == first
    clock.now += 1
    renewed = source.current()
    assert renewed != first
    assert decode_token(renewed).issue_ts == int(clock.now)
    assert source.expires_at == int(clock.now) + 3600
    assert source.current() == renewed  # the new one is not due


def test_an_already_expired_token_is_renewed_before_it_is_handed_out() -> None:
    clock = FakeClock()
    source = minting(60, clock)
    clock.now = START + 3600
    token = source.current()
    verify_rtm_token(token, app_id=APP_ID, app_certificate=CERTIFICATE, user_id=UID, now=clock.now)


def test_renew_forces_a_new_token_even_when_not_due() -> None:
    clock = FakeClock()
    source = minting(3600, clock)
    first = source.current()
    clock.now += 5
    renewed = source.renew()
    assert renewed != first
    assert source.current() == renewed
    assert source.expires_at == int(START + 5) + 3600


@pytest.mark.parametrize(
    ("app_id", "certificate", "uid", "lifetime"),
    [
        ("not-hex", CERTIFICATE, UID, 3600),
        (APP_ID, "short", UID, 3600),
        (APP_ID, CERTIFICATE, "", 3600),
        (APP_ID, CERTIFICATE, UID, 0),
        (APP_ID, CERTIFICATE, UID, 24 * 3600 + 1),
    ],
)
def test_bad_inputs_fail_when_the_source_is_made(
    app_id: str, certificate: str, uid: str, lifetime: int
) -> None:
    with pytest.raises(TokenError) as raised:
        TokenSource.minting(app_id, certificate, uid, lifetime, clock=FakeClock())
    assert CERTIFICATE not in str(raised.value)


# ---------------------------------------------------------------- static tokens


def test_static_token_is_never_renewed() -> None:
    token = build_rtm_token(APP_ID, CERTIFICATE, UID, 600, issue_ts=int(START))
    source = TokenSource.static(token)
    assert not source.can_renew
    assert source.lifetime is None
    assert source.expires_at == START + 600
    assert source.current() == token  # long expired by the real clock: still as given
    with pytest.raises(TokenError, match="cannot be renewed"):
        source.renew()
    assert source.current() == token


def test_static_006_token_expiry_is_its_absolute_privilege_time() -> None:
    assert TokenSource.static(TOKEN_006).expires_at == 1446455471.0


def test_static_plain_string_has_no_known_expiry() -> None:
    source = TokenSource.static("sandbox-token")
    assert source.current() == "sandbox-token"
    assert source.expires_at is None
    assert source.describe_expiry() == "token ?"


# ---------------------------------------------------------------- describe_expiry


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (3600 * 3 + 5 * 60 + 59, "token 3h05m"),
        (3600, "token 1h00m"),
        (52 * 60 + 59, "token 52m"),
        (60, "token 1m"),
        (59.9, "token 59s"),
        (0.5, "token 0s"),
        (0, "token expired"),
        (-30, "token expired"),
        (3 * 86400 + 100, "token 3d"),
    ],
)
def test_describe_expiry(left: float, text: str) -> None:
    source = TokenSource.static(build_rtm_token(APP_ID, CERTIFICATE, UID, 600, issue_ts=0))
    assert source.describe_expiry(now=600 - left) == text


def test_describe_expiry_defaults_to_the_sources_clock_and_never_shows_the_token() -> None:
    clock = FakeClock()
    source = minting(3600, clock)
    clock.now += 8 * 60 + 1
    description = source.describe_expiry()
    assert description == "token 51m"
    assert source.current() not in description


# ---------------------------------------------------------------- threads and secrets


def renew_from_many_threads(source: TokenSource, threads_count: int) -> list[str]:
    barrier = threading.Barrier(threads_count)
    results: list[str] = []
    results_lock = threading.Lock()

    def call() -> None:
        barrier.wait()
        token = source.current()
        with results_lock:
            results.append(token)

    threads = [threading.Thread(target=call) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return results


@pytest.mark.parametrize("round_number", range(5))
def test_concurrent_current_calls_renew_once(round_number: int) -> None:
    clock = FakeClock(START + round_number)
    source = minting(3600, clock)
    first = source.current()
    clock.now += 3500  # due
    results = renew_from_many_threads(source, 16)
    # Each renewal draws a fresh random salt, so several renewals would give several tokens
    # (without the lock, most rounds see several).
    assert len(results) == 16
    assert len(set(results)) == 1
    assert results[0] != first
    assert source.current() == results[0]


def test_repr_hides_token_and_certificate() -> None:
    source = minting()
    token = source.current()
    for text in (repr(source), str(source)):
        assert token not in text
        assert CERTIFICATE not in text
        assert CERTIFICATE.lower() not in text.lower()
        assert "minting" in text
    static = TokenSource.static(token)
    assert token not in repr(static)
    assert "static" in repr(static)
