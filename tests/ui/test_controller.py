"""The room controller pane against the sandbox over loopback: each action, its confirmation,
an error answer, live room-id validation and the state learned from the event stream."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pane_harness import PaneHarness
from textual.app import App
from textual.widgets import Button, Input, OptionList, Static

from classroom_tui.api import ConnectionSettings
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.screens.confirm import ConfirmScreen
from classroom_tui.ui.widgets.room_controller import RoomController
from classroom_tui.ui.widgets.room_field import RoomField

STYLES = ["../../styles/controller.tcss"]


class ControllerHarness(PaneHarness):
    CSS_PATH = STYLES

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings, RoomController())


@pytest.fixture
async def harness(sandbox: SandboxServer) -> AsyncIterator[ControllerHarness]:
    yield ControllerHarness(sandbox.settings)


def result_text(app: App[None]) -> str:
    return str(app.query_one("#controller-result", Static).render())


def state_text(app: App[None]) -> str:
    return str(app.query_one("#controller-state", Static).render())


def requests_sent(sandbox: SandboxServer) -> int:
    return sum(sandbox.stats()["requestsByStatus"].values())


async def choose_room(pilot, room: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.query_one(RoomField)
    field.input.focus()
    field.room = room
    await pilot.press("enter")
    await pilot.pause()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_start_class_by_key(harness: ControllerHarness, sandbox: SandboxServer) -> None:
    async with harness.run_test() as pilot:
        await choose_room(pilot, "demo room")
        assert isinstance(harness.focused, Button) and harness.focused.id == "start_class"
        await pilot.press("s")
        await settle(pilot)
        assert sandbox.world.room("demo room").state == 1
        assert result_text(harness) == "class started in 'demo room'"
        assert state_text(harness) == "class: started · recording: unknown"
        [note] = list(harness._notifications)
        assert note.severity == "information" and "class started" in note.message


async def test_start_class_by_button_then_conflict(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    async with harness.run_test() as pilot:
        await choose_room(pilot, "office hours")
        await pilot.click("#start_class")
        await settle(pilot)
        assert sandbox.world.room("office hours").state == 1
        await pilot.pause(0.3)  # a button ignores clicks during its 0.2 s "pressed" effect
        await pilot.click("#start_class")
        await settle(pilot)
        text = result_text(harness)
        assert text.startswith("start class in 'office hours' failed: ")
        assert "HTTP 409, code 30409100" in text
        notes = list(harness._notifications)
        assert notes[-1].severity == "error" and "HTTP 409, code 30409100" in notes[-1].message


async def test_end_class_asks_and_confirms(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    sandbox.world.set_class_state("demo room", 1)
    async with harness.run_test() as pilot:
        await choose_room(pilot, "demo room")
        await pilot.press("e")
        await pilot.pause()
        screen = harness.screen
        assert isinstance(screen, ConfirmScreen)
        message = str(screen.query_one("#confirm-message", Static).render())
        assert "'demo room'" in message and sandbox.config.app_id in message
        assert harness.focused is not None and harness.focused.id == "confirm-cancel"
        await pilot.press("tab")
        assert harness.focused is not None and harness.focused.id == "confirm-ok"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(harness.screen, ConfirmScreen)
        assert sandbox.world.room("demo room").state == 2
        assert result_text(harness) == "class ended in 'demo room'"
        assert state_text(harness) == "class: ended · recording: off"


@pytest.mark.parametrize("key", ["enter", "escape"])
async def test_end_class_cancelled_sends_nothing(
    harness: ControllerHarness, sandbox: SandboxServer, key: str
) -> None:
    sandbox.world.set_class_state("demo room", 1)
    async with harness.run_test() as pilot:
        await choose_room(pilot, "demo room")
        before = requests_sent(sandbox)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(harness.screen, ConfirmScreen)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(harness.screen, ConfirmScreen)
        assert requests_sent(sandbox) == before
        assert sandbox.world.room("demo room").state == 1
        assert result_text(harness) == "end class in 'demo room' cancelled"


async def test_recording_start_and_confirmed_stop(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    records_before = len(sandbox.world.room("demo room").records)
    async with harness.run_test() as pilot:
        await choose_room(pilot, "demo room")
        await pilot.press("r")
        await settle(pilot)
        assert sandbox.world.room("demo room").recording is not None
        assert result_text(harness) == "recording started in 'demo room'"
        assert state_text(harness).endswith("recording: on")
        await pilot.press("x")
        await pilot.pause()
        screen = harness.screen
        assert isinstance(screen, ConfirmScreen)
        assert "'demo room'" in str(screen.query_one("#confirm-message", Static).render())
        await pilot.click("#confirm-ok")
        await settle(pilot)
        room = sandbox.world.room("demo room")
        assert room.recording is None and len(room.records) == records_before + 1
        assert result_text(harness) == "recording stopped in 'demo room'"
        assert state_text(harness).endswith("recording: off")


async def test_stop_recording_when_none_runs_shows_409(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    async with harness.run_test() as pilot:
        await choose_room(pilot, "demo room")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert "HTTP 409, code 30409410" in result_text(harness)


async def test_unknown_room_shows_404_with_code(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    async with harness.run_test() as pilot:
        await choose_room(pilot, "no such room")
        await pilot.press("r")
        await settle(pilot)
        text = result_text(harness)
        assert "the room does not exist (HTTP 404, code 20404100)" in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("room/1", "character '/' at position 5 is not allowed in a room id"),
        ("a" * 65, "room id is 65 bytes long; the limit is 64"),
    ],
)
async def test_live_validation_and_no_request(
    harness: ControllerHarness, sandbox: SandboxServer, typed: str, message: str
) -> None:
    async with harness.run_test() as pilot:
        harness.query_one(RoomField).input.focus()
        await pilot.press(*typed)
        await pilot.pause()
        field = harness.query_one(RoomField)
        assert str(field.query_one(".room-problem", Static).render()) == message
        assert field.has_class("-invalid")
        before = requests_sent(sandbox)
        await pilot.click("#start_class")
        await settle(pilot)
        assert requests_sent(sandbox) == before
        assert result_text(harness) == f"cannot start class: {message}"
        # Fixing the text clears the message as you type.
        field.input.focus()
        field.room = "Math 101"
        await pilot.pause()
        assert str(field.query_one(".room-problem", Static).render()) == ""


async def test_state_and_rooms_from_event_stream(
    harness: ControllerHarness, sandbox: SandboxServer
) -> None:
    sandbox.world.set_class_state("office hours", 1)
    sandbox.world.set_recording_state("office hours", 1)
    sandbox.world.set_class_state("chem [A] 50%", 1)
    async with harness.run_test() as pilot:
        assert harness.client is not None
        events = await harness.client.poll_events()
        controller = harness.query_one(RoomController)
        controller.observe_events(events)
        await pilot.pause()
        rooms = harness.query_one("#controller-rooms", OptionList)
        shown = [str(rooms.get_option_at_index(i).prompt) for i in range(rooms.option_count)]
        assert shown == ["office hours", "chem [A] 50%"]
        rooms.focus()
        rooms.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert harness.query_one(RoomField).room == "office hours"
        assert state_text(harness) == "class: started · recording: on"
        # The suggester completes room names seen in the stream.
        field = harness.query_one(RoomField)
        field.room = ""
        field.input.focus()
        await pilot.press("o", "f")
        await pilot.pause()
        assert field.input._suggestion == "office hours"
        sandbox.world.set_class_state("office hours", 2)
        controller.observe_events(await harness.client.poll_events())
        await pilot.pause()
        field.room = "office hours"
        await pilot.pause()
        assert state_text(harness) == "class: ended · recording: off"


async def test_not_connected_is_a_message(sandbox: SandboxServer) -> None:
    app = ControllerHarness(sandbox.settings)
    async with app.run_test() as pilot:
        assert app.client is not None
        await app.client.aclose()
        app.client = None
        await choose_room(pilot, "demo room")
        await pilot.press("s")
        await settle(pilot)
        assert result_text(app) == "start class in 'demo room' failed: not connected to the service"
        assert isinstance(app.query_one(RoomField).input, Input)
