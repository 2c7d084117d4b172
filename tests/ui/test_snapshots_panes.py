"""How the confirmation dialog, recordings page 2 and the login screen look. Deterministic: the
sandbox has a fixed seed and clock, and times are shown in UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring
import keyring.backend
import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot

from classroom_tui.api import NO_RETRY, ClassroomClient, ConnectionSettings
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.screens.login import LoginScreen
from classroom_tui.ui.widgets.recordings import RecordingsBrowser
from classroom_tui.ui.widgets.room_controller import RoomController
from classroom_tui.ui.widgets.room_field import RoomField

FIXED_CLOCK = 1_717_000_000.0  # 2024-05-29 16:26:40 UTC
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fixed_sandbox(sandbox_factory) -> SandboxServer:  # type: ignore[no-untyped-def]
    return sandbox_factory(clock=lambda: FIXED_CLOCK)


class PanesHarness(App[None]):
    CSS = "RoomController { width: 44; } RecordingsBrowser { width: 1fr; }"
    CSS_PATH: ClassVar[list[str | Path]] = [
        "../../styles/controller.tcss",
        "../../styles/recordings.tcss",
    ]

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__()
        self.settings: ConnectionSettings | None = settings
        self.client: ClassroomClient | None = ClassroomClient(settings, retry=NO_RETRY)
        self.profile_name = "snapshot"
        self.journal = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield RoomController()
            yield RecordingsBrowser()

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


class LoginHarness(App[None]):
    CSS_PATH = "../../styles/login.tcss"

    def on_mount(self) -> None:
        self.push_screen(LoginScreen("authentication failed (HTTP 401)", "support"))


def test_confirmation_dialog(snap_compare, fixed_sandbox: SandboxServer) -> None:  # type: ignore[no-untyped-def]
    async def ask(pilot: Pilot[None]) -> None:
        field = pilot.app.query_one(RoomField)
        field.input.focus()
        field.room = "demo room"
        await pilot.press("enter", "e")
        await pilot.pause()

    assert snap_compare(PanesHarness(fixed_sandbox.settings), run_before=ask, terminal_size=SIZE)


def test_recordings_page_two(snap_compare, fixed_sandbox: SandboxServer) -> None:  # type: ignore[no-untyped-def]
    async def page_two(pilot: Pilot[None]) -> None:
        field = pilot.app.query_one(RecordingsBrowser).query_one(RoomField)
        field.input.focus()
        field.room = "biology archive"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("right_square_bracket")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = PanesHarness(fixed_sandbox.settings)
    assert snap_compare(app, run_before=page_two, terminal_size=SIZE)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that works the same on every machine, so the baseline does not depend on
    whether this one has a Secret Service (tests/keyring_session.py drives a real one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_login_screen(snap_compare, memory_keyring: None) -> None:  # type: ignore[no-untyped-def]
    async def settle(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(LoginHarness(), run_before=settle, terminal_size=SIZE)
