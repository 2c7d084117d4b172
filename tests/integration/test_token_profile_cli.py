"""Certificate profiles on the command line: `token mint` and the headless commands take the App
Certificate from a real (private) Secret Service or from CLASSROOM_TUI_APP_CERTIFICATE, and the
sandbox holding that certificate accepts what they mint."""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable

import keyring
import pytest
from keyring.backends import fail
from keyring_session import SecretServiceSession

from classroom_tui.auth import credentials
from classroom_tui.auth.rtm_token import decode_token, verify_rtm_token
from classroom_tui.cli import main
from classroom_tui.config import config_path
from classroom_tui.sandbox import SandboxServer
from classroom_tui.settings import resolve_settings

CERT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
OTHER_CERT = "ffeeddccbbaa99887766554433221100"
APP_ID = "970CA35de60c44645bbae8a215061b33"
UID = "support-7"
ROOM = "profile room"
Factory = Callable[..., SandboxServer]


@pytest.fixture(autouse=True)
def _no_connection_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CLASSROOM_TUI_APP_CERTIFICATE",
        "CLASSROOM_TUI_PROFILE",
        "CLASSROOM_TUI_AUTH_STYLE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(sandbox_factory: Factory) -> SandboxServer:
    return sandbox_factory(app_certificate=CERT)


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    sys.stdin = io.StringIO(stdin)
    try:
        status = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    for secret in (CERT, OTHER_CERT):
        assert secret not in out + err
    return status, out, err


def login(
    capsys: pytest.CaptureFixture[str],
    profile: str,
    *extra: str,
    secret: str = CERT,
    base_url: str = "na",
    app_id: str = APP_ID,
    uid: str = UID,
) -> None:
    argv = ["login", "--profile", profile, "--base-url", base_url, "--app-id", app_id]
    status, _, err = run(capsys, *argv, "--uid", uid, *extra, stdin=secret + "\n")
    assert (status, err) == (0, "")


def login_certificate(capsys: pytest.CaptureFixture[str], profile: str, *extra: str) -> None:
    login(capsys, profile, "--certificate", *extra)


def assert_one_line(err: str) -> None:
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("classroom-tui: ")


# ---------------------------------------------------------------- token mint


def test_mint_signs_with_the_active_profiles_certificate_for_its_uid_and_lifetime(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login_certificate(capsys, "cert-active", "--token-lifetime", "900")
    assert CERT not in config_path().read_text()

    status, out, err = run(capsys, "token", "mint")

    assert (status, err) == (0, "")
    info = verify_rtm_token(out.strip(), app_id=APP_ID, app_certificate=CERT, user_id=UID)
    assert info.expire - info.issue_ts == 900


@pytest.mark.parametrize("how", ["mint flag", "top-level flag", "environment"])
def test_mint_uses_the_named_profile_over_the_active_one(
    real_keyring: SecretServiceSession,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    login_certificate(capsys, "cert-named", "--token-lifetime", "1200")
    login(capsys, "other-active", secret="a-plain-token", uid="someone-else")
    argv = {
        "mint flag": ["token", "mint", "--profile", "cert-named"],
        "top-level flag": ["--profile", "cert-named", "token", "mint"],
        "environment": ["token", "mint"],
    }[how]
    if how == "environment":
        assert run(capsys, "token", "mint")[0] == 2  # the active profile holds only a token
        monkeypatch.setenv("CLASSROOM_TUI_PROFILE", "cert-named")

    status, out, err = run(capsys, *argv)

    assert (status, err) == (0, "")
    info = verify_rtm_token(out.strip(), app_id=APP_ID, app_certificate=CERT, user_id=UID)
    assert info.expire - info.issue_ts == 1200


def test_environment_and_flags_win_over_the_profile(
    real_keyring: SecretServiceSession,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login_certificate(capsys, "cert-overridden", "--token-lifetime", "900")
    monkeypatch.setenv("CLASSROOM_TUI_APP_CERTIFICATE", OTHER_CERT)
    monkeypatch.setenv("CLASSROOM_TUI_UID", "from-env")

    status, out, _ = run(capsys, "token", "mint", "--expire", "60")
    assert status == 0
    info = verify_rtm_token(
        out.strip(), app_id=APP_ID, app_certificate=OTHER_CERT, user_id="from-env"
    )
    assert info.expire - info.issue_ts == 60

    status, out, _ = run(capsys, "token", "mint", "--uid", "from-flag")
    assert status == 0
    assert decode_token(out).user_id == "from-flag"


def test_a_token_profile_has_no_certificate_to_mint_with(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login(capsys, "token-only", secret="a-plain-token")

    status, out, err = run(capsys, "token", "mint")

    assert (status, out) == (2, "")
    assert_one_line(err)
    assert "'token-only' holds a token" in err and "CLASSROOM_TUI_APP_CERTIFICATE" in err
    assert "a-plain-token" not in err


def test_a_certificate_profile_whose_keyring_entry_is_gone(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login_certificate(capsys, "cert-gone")
    assert credentials.delete_certificate("cert-gone")

    status, out, err = run(capsys, "token", "mint")

    assert (status, out) == (2, "")
    assert_one_line(err)
    assert "'cert-gone' has none in the OS keyring" in err


def test_mint_without_a_usable_keyring_fails_in_one_line(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login_certificate(capsys, "cert-locked")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        status, out, err = run(capsys, "token", "mint")
    finally:
        keyring.set_keyring(previous)
    assert (status, out) == (1, "")
    assert_one_line(err)
    assert "keyring" in err


def test_mint_without_app_id_anywhere_names_the_profile(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "token", "mint", "--uid", "u")
    assert (status, out) == (2, "")
    assert_one_line(err)
    assert "no App ID" in err and "no profile chosen or active" in err


# ---------------------------------------------------------------- headless commands


def drive_a_class(capsys: pytest.CaptureFixture[str], *prefix: str, room: str = ROOM) -> None:
    for argv in (
        ("class", room, "start"),
        ("recording", room, "start"),
        ("recording", room, "stop"),
    ):
        status, _, err = run(capsys, *argv, *prefix)
        assert status == 0, err
    status, out, err = run(capsys, "records", room, "--json", *prefix)
    assert status == 0, err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["roomUuid"] == room
    status, out, err = run(capsys, "events", "--json", *prefix)
    assert status == 0, err
    rooms = {json.loads(line)["roomUuid"] for line in out.splitlines()}
    assert room in rooms


@pytest.mark.parametrize("style", ["headers", "authorization"])
def test_headless_commands_with_a_certificate_profile(
    real_keyring: SecretServiceSession,
    capsys: pytest.CaptureFixture[str],
    server: SandboxServer,
    style: str,
) -> None:
    login(
        capsys,
        f"cert-{style}",
        "--certificate",
        "--auth-style",
        style,
        base_url=server.base_url,
        app_id=server.config.app_id,
        uid=server.config.uid,
    )
    settings = resolve_settings(argparse.Namespace(profile=f"cert-{style}"), env={})
    assert settings.auth_style == style
    drive_a_class(capsys)


def test_headless_commands_with_the_certificate_in_the_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: SandboxServer,
) -> None:
    monkeypatch.setenv("CLASSROOM_TUI_BASE_URL", server.base_url)
    monkeypatch.setenv("CLASSROOM_TUI_APP_ID", server.config.app_id)
    monkeypatch.setenv("CLASSROOM_TUI_UID", server.config.uid)
    monkeypatch.setenv("CLASSROOM_TUI_APP_CERTIFICATE", CERT)
    drive_a_class(capsys)
    drive_a_class(capsys, "--auth-style", "authorization", room="second room")


def test_a_profile_with_the_wrong_certificate_gets_exit_3(
    real_keyring: SecretServiceSession,
    capsys: pytest.CaptureFixture[str],
    server: SandboxServer,
) -> None:
    login(
        capsys,
        "cert-wrong",
        "--certificate",
        secret=OTHER_CERT,
        base_url=server.base_url,
        app_id=server.config.app_id,
        uid=server.config.uid,
    )
    started = time.time()
    status, out, err = run(capsys, "events")
    assert (status, out) == (3, "")
    assert_one_line(err)
    assert "HTTP 401" in err
    assert time.time() - started < 30
