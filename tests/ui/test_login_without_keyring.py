"""The login screen on a box without a Secret Service: said up front, and "connect without
saving" keeps the profile in config.toml (no token anywhere on disk) and connects."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest
from textual.app import App
from textual.widgets import Input, Static

from classroom_tui.api import ConnectionSettings
from classroom_tui.config import config_path, load_config
from classroom_tui.ui.screens.login import NO_KEYRING_NOTE, LoginScreen

APP_ID = "5a4db0c1e2f3a4b5c6d7e8f9a0b1c2d3"
TOKEN = "secret-token-value-123"
UNSET = object()


class LoginHarness(App[None]):
    CSS_PATH = "../../styles/login.tcss"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(LoginScreen(self.reason), self._done)

    def _done(self, settings: ConnectionSettings | None) -> None:
        self.result = settings


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


async def fill(pilot, **values: str) -> None:  # type: ignore[no-untyped-def]
    for field_id, value in values.items():
        field = pilot.app.screen.query_one(f"#{field_id.replace('_', '-')}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*value)
    await pilot.pause()


def shown(app: App[None], selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def test_no_keyring_is_said_up_front_and_connect_without_saving_works(
    no_keyring: None,
) -> None:
    app = LoginHarness()
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "#keyring-note") == NO_KEYRING_NOTE
        await fill(pilot, profile="night", base_url="na", app_id=APP_ID, uid="owl")
        await fill(pilot, token=TOKEN)
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.result, ConnectionSettings)
    assert (app.result.app_id, app.result.uid, app.result.token) == (APP_ID, "owl", TOKEN)
    config = load_config()
    assert config.active == "night"
    assert config.profiles["night"].base_url == "https://api.agora.io/na"
    assert TOKEN not in config_path().read_text()


async def test_connect_without_saving_checks_the_fields_first(no_keyring: None) -> None:
    app = LoginHarness()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await fill(pilot, base_url="na")
        await pilot.click("#login-connect")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "#login-status") == "3 field(s) need attention"
        assert shown(app, "#token-problem") == "the token is empty"
        assert app.result is UNSET
    assert not config_path().exists()


async def test_save_without_keyring_points_at_connect_without_saving(no_keyring: None) -> None:
    app = LoginHarness()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, base_url="na", app_id=APP_ID, uid="owl")
        await fill(pilot, token=TOKEN)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert shown(app, "#keyring-note") == NO_KEYRING_NOTE
        assert TOKEN not in shown(app, "#login-status")
        assert not app.screen.query_one("#login-connect").disabled
    assert not config_path().exists()


async def test_reason_with_brackets_is_shown_literally() -> None:
    reason = "HTTP 401 from chem [A] 50%: Evil[/]Name [b]x"
    app = LoginHarness(reason=reason)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert shown(app, "#login-reason") == reason
