"""login / info / logout and resolve_settings against a real, private Secret Service."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import keyring
import pytest
import secretstorage
from keyring.backends import fail
from keyring_session import SecretServiceSession

from classroom_tui.auth import credentials
from classroom_tui.cli import main
from classroom_tui.config import config_path, load_config
from classroom_tui.settings import resolve_settings

TOKEN = "007eJxSYBBaxsTest+Token/Value=="
CERTIFICATE = "5cfd2fd1755d40ecb72977518be15d3b"
APP_ID = "970CA35de60c44645bbae8a215061b33"


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    sys.stdin = io.StringIO(stdin)
    try:
        status = main(argv)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return status, out, err


def secret_service_items(session: SecretServiceSession) -> dict[str, str]:
    """What the Secret Service itself holds for classroom-tui, read without the keyring lib."""
    connection = secretstorage.dbus_init()
    try:
        items = secretstorage.search_items(connection, {"service": credentials.KEYRING_SERVICE})
        return {item.get_attributes()["username"]: item.get_secret().decode() for item in items}
    finally:
        connection.close()


def login(capsys: pytest.CaptureFixture[str], *extra: str, secret: str = TOKEN) -> str:
    status, out, err = run(
        ["login", "--base-url", "na", "--app-id", APP_ID, "--uid", "support-1", *extra],
        capsys,
        stdin=secret + "\n",
    )
    assert (status, err) == (0, "")
    return out


def test_login_stores_the_token_in_the_secret_service_and_nowhere_else(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    out = login(capsys, "--profile", "night-shift")

    assert secret_service_items(real_keyring)["profile:night-shift:token"] == TOKEN
    text = config_path().read_text()
    assert TOKEN not in text and "token =" not in text
    assert "night-shift" in text and "https://api.agora.io/na" in text
    assert str(config_path()) in out and "SecretService" in out
    assert TOKEN not in out
    assert os.stat(config_path()).st_mode & 0o777 == 0o600


def test_info_lists_the_profile_and_whether_a_token_is_stored_but_never_the_token(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login(capsys, "--profile", "day")
    login(capsys, "--profile", "spare", "--auth-style", "authorization")
    credentials.delete_token("spare")

    status, out, err = run(["info"], capsys)

    assert (status, err) == (0, "")
    assert TOKEN not in out
    assert str(config_path()) in out
    assert "keyring.backends.SecretService.Keyring" in out
    day, spare = out.split("day", 1)[1].split("spare", 1)
    assert APP_ID in day and "support-1" in day and "token:" in day
    assert "stored in keyring" in day
    assert "* spare (active)" in out and "authorization" in spare and "not stored" in spare


def test_resolve_settings_takes_the_token_of_the_profile_from_the_keyring(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login(capsys, "--profile", "day")

    settings = resolve_settings(argparse.Namespace(profile="day"), env={})

    assert (settings.base_url, settings.app_id, settings.uid) == (
        "https://api.agora.io/na",
        APP_ID,
        "support-1",
    )
    assert settings.token == TOKEN


def test_certificate_profile_mints_a_token_for_its_uid(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    from classroom_tui.auth.rtm_token import verify_rtm_token

    login(capsys, "--profile", "cert", "--certificate", secret=CERTIFICATE)
    assert secret_service_items(real_keyring)["profile:cert:app-certificate"] == CERTIFICATE
    assert CERTIFICATE not in config_path().read_text()

    settings = resolve_settings(argparse.Namespace(profile="cert"), env={})

    info = verify_rtm_token(
        settings.token, app_id=APP_ID, app_certificate=CERTIFICATE, user_id="support-1"
    )
    assert 3590 <= info.expires_in() <= 3600


def test_logout_deletes_the_secrets_and_keeps_the_profile_unless_forgotten(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    login(capsys, "--profile", "gone")

    status, out, _ = run(["logout", "--profile", "gone"], capsys)

    assert status == 0 and "deleted the token of profile 'gone'" in out
    assert "profile:gone:token" not in secret_service_items(real_keyring)
    assert "gone" in load_config().profiles
    status, out, _ = run(["logout", "--profile", "gone", "--forget"], capsys)
    assert status == 0 and "held no token" in out and "removed from" in out
    assert "gone" not in load_config().profiles


def test_without_a_keyring_backend_commands_fail_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        status, _, err = run(
            ["login", "--base-url", "na", "--app-id", APP_ID, "--uid", "u"],
            capsys,
            stdin=TOKEN + "\n",
        )
        assert status == 1
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "gnome-keyring" in err and "CLASSROOM_TUI_TOKEN" in err and TOKEN not in err
        # The profile is kept, so that CLASSROOM_TUI_TOKEN alone completes the connection;
        # the token was not even asked for, and is nowhere on disk.
        assert "saved" in err and "without its secret" in err
        assert load_config().profiles["default"].app_id == APP_ID
        assert TOKEN not in config_path().read_text()
        settings = resolve_settings(
            argparse.Namespace(profile="default"), env={"CLASSROOM_TUI_TOKEN": "from-env"}
        )
        assert settings.token == "from-env" and settings.uid == "u"

        info_status, info_out, info_err = run(["info"], capsys)
        assert (info_status, info_err) == (0, "")
        assert "keyring:      unavailable: no OS keyring is available" in info_out
    finally:
        keyring.set_keyring(previous)


def test_a_corrupt_config_stops_login_and_is_left_untouched(
    real_keyring: SecretServiceSession, capsys: pytest.CaptureFixture[str]
) -> None:
    path: Path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('active = "x"\n[profiles.x\nuid = 1\n')
    before = path.read_bytes()

    status, _, err = run(["login", "--profile", "x", "--base-url", "na"], capsys, TOKEN + "\n")

    assert status == 1
    assert err.startswith(f"classroom-tui: {path} line 2: ") and err.count("\n") == 1
    assert path.read_bytes() == before
    assert "profile:x:token" not in secret_service_items(real_keyring)
