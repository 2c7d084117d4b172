"""`classroom-tui token mint|inspect` through the real entry point."""

from __future__ import annotations

import io
import json

import pytest

from classroom_tui.auth.rtm_token import decode_token, verify_rtm_token
from classroom_tui.cli import main

APP_ID = "970CA35de60c44645bbae8a215061b33"
CERTIFICATE = "5CFd2fd1755d40ecb72977518be15d3b"
UID = "teacher-7"
TOKEN_007 = (
    "007eJxSYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhm"
    "aGpgZJhkbu38RYIhgYmBgZABhJgZGBkYwn5OhJLW4JL60OLUIEAAA//9ZVh6A"
)
TOKEN_006 = (
    "006970CA35de60c44645bbae8a215061b33IAAsR0qgiCxv0vrpRcpkz5BrbfEWCBZ6kvR6t7qG/wJIQob86ogAAAA"
    "AEAABAAAAR/QQAAEA6AOvKDdW"
)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLASSROOM_TUI_APP_ID", APP_ID)
    monkeypatch.setenv("CLASSROOM_TUI_UID", UID)
    monkeypatch.setenv("CLASSROOM_TUI_APP_CERTIFICATE", CERTIFICATE)
    monkeypatch.delenv("CLASSROOM_TUI_TOKEN", raising=False)
    monkeypatch.delenv("CLASSROOM_TUI_PROFILE", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["token", *argv])
    out, err = capsys.readouterr()
    assert CERTIFICATE not in out + err
    assert CERTIFICATE.lower() not in (out + err).lower()
    assert "Traceback" not in err
    return code, out, err


def assert_one_line_usage_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- mint


def test_mint_prints_a_token_that_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "mint")
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 1
    info = verify_rtm_token(out.strip(), app_id=APP_ID, app_certificate=CERTIFICATE, user_id=UID)
    assert info.expire - info.issue_ts == 3600


def test_mint_flags_win_over_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    other_app = "0123456789abcdef0123456789abcdef"
    code, out, _ = run(capsys, "mint", "--app-id", other_app, "--uid", "bob", "--expire", "120")
    assert code == 0
    info = decode_token(out)
    assert (info.app_id, info.user_id, info.expire - info.issue_ts) == (other_app, "bob", 120)


@pytest.mark.parametrize(
    ("unset", "expected"),
    [
        ("CLASSROOM_TUI_APP_CERTIFICATE", "CLASSROOM_TUI_APP_CERTIFICATE"),
        ("CLASSROOM_TUI_APP_ID", "--app-id"),
        ("CLASSROOM_TUI_UID", "--uid"),
    ],
)
def test_mint_names_what_is_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, unset: str, expected: str
) -> None:
    monkeypatch.delenv(unset)
    code, out, err = run(capsys, "mint")
    assert_one_line_usage_error(code, out, err)
    assert expected in err


def test_mint_rejects_a_bad_app_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "mint", "--app-id", "not-an-app-id")
    assert_one_line_usage_error(code, out, err)
    assert "App ID" in err


def test_mint_rejects_a_bad_certificate_without_showing_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLASSROOM_TUI_APP_CERTIFICATE", "secret-but-not-hex")
    code, out, err = run(capsys, "mint")
    assert_one_line_usage_error(code, out, err)
    assert "secret-but-not-hex" not in err
    assert "App Certificate" in err


@pytest.mark.parametrize(
    ("expire", "expected"),
    [
        ("86401", "at most 86400 seconds (24 h)"),
        ("999999", "at most 86400 seconds (24 h)"),
        ("0", "at least 1 second"),
        ("-5", "at least 1 second"),
        ("ten", "not a whole number of seconds"),
        ("1.5", "not a whole number of seconds"),
    ],
)
def test_mint_rejects_a_bad_lifetime_in_one_line(
    capsys: pytest.CaptureFixture[str], expire: str, expected: str
) -> None:
    code, out, err = run(capsys, "mint", "--expire", expire)
    assert_one_line_usage_error(code, out, err)
    assert expected in err and "--expire" in err


def test_mint_accepts_the_longest_lifetime(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "mint", "--expire", "86400")
    assert code == 0
    info = decode_token(out)
    assert info.expire - info.issue_ts == 86400


def test_mint_without_certificate_says_where_one_can_come_from(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLASSROOM_TUI_APP_CERTIFICATE")
    code, out, err = run(capsys, "mint")
    assert_one_line_usage_error(code, out, err)
    assert "CLASSROOM_TUI_APP_CERTIFICATE" in err and "login --certificate" in err


def test_mint_with_an_unknown_profile_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "mint", "--profile", "nobody")
    assert_one_line_usage_error(code, out, err)
    assert "'nobody'" in err


# ---------------------------------------------------------------- inspect


def test_inspect_shows_what_the_published_token_holds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "inspect", TOKEN_007)
    assert (code, err) == (0, "")
    assert "AccessToken2 (007)" in out
    assert APP_ID in out
    assert "1970-01-13 20:38:31 UTC" in out
    assert "expired" in out
    assert "salt:     1\n" in out
    assert "RTM (login for 10 min)" in out
    assert "user:     test_user" in out


def test_inspect_shows_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    _, token, _ = run(capsys, "mint", "--expire", "2520")
    code, out, _ = run(capsys, "inspect", token.strip())
    assert code == 0
    assert "expires in 42 min" in out


def test_inspect_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "inspect", TOKEN_007, "--json")
    assert code == 0
    document = json.loads(out)
    keys = {"version", "app_id", "issue_ts", "expire", "salt", "services", "user_id"}
    assert set(document) == keys
    assert document["services"] == [{"type": 2, "privileges": {"1": 600}}]
    assert document["expire"] == 1111711


def test_inspect_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN_007 + "\n"))
    code, out, _ = run(capsys, "inspect", "-", "--json")
    assert code == 0
    assert json.loads(out)["user_id"] == "test_user"


def test_inspect_defaults_to_the_token_in_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLASSROOM_TUI_TOKEN", TOKEN_007)
    code, out, _ = run(capsys, "inspect")
    assert code == 0
    assert "test_user" in out


def test_inspect_without_any_token(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "inspect")
    assert_one_line_usage_error(code, out, err)
    assert "CLASSROOM_TUI_TOKEN" in err


def test_inspect_an_old_006_token(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "inspect", TOKEN_006)
    assert code == 0
    assert "006" in out
    assert "RTM (login until 2015-11-02 09:11:11 UTC)" in out
    assert "not stored" in out


@pytest.mark.parametrize("garbage", ["hello", "007AAAA", TOKEN_007[:50], "006" + "x" * 40, "  "])
def test_inspect_garbage_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], garbage: str
) -> None:
    code, out, err = run(capsys, "inspect", garbage)
    assert_one_line_usage_error(code, out, err)
    assert err.startswith("classroom-tui: ")
