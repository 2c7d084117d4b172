"""The login screen: live checks, saving the token to a real Secret Service (gnome-keyring on a
private D-Bus) and the profile to config.toml, the fail backend's message, cancel, the reason."""

from __future__ import annotations

import stat

import keyring
import keyring.backends.fail
import pytest
from textual.app import App
from textual.widgets import Input, Static

from classroom_tui.api import ConnectionSettings
from classroom_tui.auth.rtm_token import build_rtm_token
from classroom_tui.config import config_path, load_config
from classroom_tui.ui.screens.login import LoginScreen, token_summary

APP_ID = "5a4db0c1e2f3a4b5c6d7e8f9a0b1c2d3"
CERTIFICATE = "0123456789abcdef0123456789abcdef"
TOKEN = "secret-token-value-123"
UNSET = object()


class LoginHarness(App[None]):
    CSS_PATH = "../../styles/login.tcss"

    def __init__(self, reason: str | None = None, profile_name: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.login_profile = profile_name
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(LoginScreen(self.reason, self.login_profile), self._done)

    def _done(self, settings: ConnectionSettings | None) -> None:
        self.result = settings


def problem(app: App[None], field_id: str) -> str:
    widget = app.screen.query_one(f"#{field_id}-problem", Static)
    return str(widget.render()) if widget.display else ""


async def fill(pilot, **values: str) -> None:  # type: ignore[no-untyped-def]
    for field_id, value in values.items():
        field = pilot.app.screen.query_one(f"#{field_id.replace('_', '-')}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*value) if value else None
    await pilot.pause()


async def wait_saved(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_save_to_real_keyring_and_config(real_keyring: object) -> None:
    app = LoginHarness()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await fill(pilot, profile="support", base_url="na", app_id=APP_ID, uid="support-1")
        await fill(pilot, token=TOKEN, poll_interval="1.5")
        token_input = app.screen.query_one("#token", Input)
        assert token_input.password
        await pilot.press("ctrl+s")
        await wait_saved(pilot)
    assert isinstance(app.result, ConnectionSettings)
    assert app.result.base_url == "https://api.agora.io/na"
    assert (app.result.app_id, app.result.uid, app.result.token) == (APP_ID, "support-1", TOKEN)
    assert keyring.get_password("classroom-tui", "profile:support:token") == TOKEN
    config = load_config()
    assert config.active == "support"
    profile = config.profiles["support"]
    assert (profile.base_url, profile.app_id, profile.uid) == (
        "https://api.agora.io/na",
        APP_ID,
        "support-1",
    )
    assert profile.poll_interval == 1.5
    text = config_path().read_text()
    assert TOKEN not in text
    assert stat.S_IMODE(config_path().stat().st_mode) == 0o600


async def test_no_keyring_backend_is_an_inline_message(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        app = LoginHarness()
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await fill(pilot, base_url="http://127.0.0.1:8750", app_id=APP_ID, uid="u1")
            await fill(pilot, token=TOKEN)
            await pilot.click("#login-save")
            await wait_saved(pilot)
            assert isinstance(app.screen, LoginScreen)
            status = str(app.screen.query_one("#login-status", Static).render())
            assert status.startswith("no OS keyring is available")
            assert "CLASSROOM_TUI_TOKEN" in status and TOKEN not in status
            assert app.result is UNSET
    finally:
        keyring.set_keyring(previous)
    assert not config_path().exists()


async def test_live_checks_and_refusal_to_save() -> None:
    app = LoginHarness()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await fill(pilot, base_url="ftp://x", poll_interval="0.1", profile="bad name")
        assert "is not an http(s) URL or a region (cn, ap, na, eu)" in problem(app, "base-url")
        assert problem(app, "poll-interval") == "the poll interval must be at least 0.5 seconds"
        assert "profile name 'bad name' must be" in problem(app, "profile")
        await fill(pilot, base_url="eu")
        assert problem(app, "base-url") == ""
        await pilot.press("ctrl+s")
        await wait_saved(pilot)
        assert problem(app, "app-id") == "the App ID is empty"
        assert problem(app, "token") == "the token is empty"
        status = str(app.screen.query_one("#login-status", Static).render())
        assert status == "5 field(s) need attention"
        assert app.result is UNSET
    assert not config_path().exists()


async def test_reason_shown_and_escape_cancels() -> None:
    app = LoginHarness(reason="authentication failed (HTTP 401)")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        reason = str(app.screen.query_one("#login-reason", Static).render())
        assert reason == "authentication failed (HTTP 401)"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_existing_profile_is_prefilled(real_keyring: object) -> None:
    first = LoginHarness()
    async with first.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await fill(pilot, profile="night", base_url="ap", app_id=APP_ID, uid="owl")
        await fill(pilot, token=TOKEN)
        await pilot.press("ctrl+s")
        await wait_saved(pilot)
    again = LoginHarness(profile_name="night")
    async with again.run_test(size=(100, 40)) as pilot:
        await wait_saved(pilot)
        screen = again.screen
        assert screen.query_one("#base-url", Input).value == "https://api.agora.io/ap"
        assert screen.query_one("#uid", Input).value == "owl"
        # The token is not read back onto the screen.
        assert screen.query_one("#token", Input).value == ""
        assert again.focused is screen.query_one("#token", Input)


def test_token_summary_warns_about_expiry_and_mismatch() -> None:
    token = build_rtm_token(APP_ID, CERTIFICATE, "support-1", 3600, issue_ts=1_700_000_000)
    text, warn = token_summary(token, APP_ID, "support-1", now=1_700_000_100)
    assert text.startswith(f"AccessToken 007 · App ID {APP_ID} · user support-1 · expires ")
    assert not warn
    text, warn = token_summary(token, "0" * 32, "someone", now=1_700_010_000)
    assert warn
    assert "it has expired" in text and "another App ID" in text and "another uid" in text
    assert token not in text
    text, warn = token_summary("sandbox-token", APP_ID, "u", now=0)
    assert text == "not a 006/007 AccessToken: its contents cannot be shown" and not warn
