"""The room controller pane: start and end a class, start and stop a recording, and see the
room's last known class and recording state (from the event stream and our own calls)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...api import (
    ClassroomError,
    ClassState,
    Event,
    InvalidInput,
    RecordingAction,
)
from ...events.journal_audit import class_action_name, recording_action_name
from ..keymap import first_key
from ..screens.confirm import ConfirmScreen
from .room_field import RoomField, console_app_id, console_client

if TYPE_CHECKING:
    from ...api import ClassroomClient

CLASS_STATE_CMD = 1
RECORDING_STATE_CMD = 1001
MAX_ROOMS_LISTED = 100
CLASS_STATE_NAMES = {0: "not started", 1: "started", 2: "ended", 3: "closed after overtime"}


class Action(Enum):
    START_CLASS = "start_class"
    END_CLASS = "end_class"
    START_RECORDING = "start_recording"
    STOP_RECORDING = "stop_recording"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def audit_name(self) -> str:
        """The action as the audit trail names it (the same words as the CLI)."""
        return {
            Action.START_CLASS: class_action_name(1),
            Action.END_CLASS: class_action_name(2),
            Action.START_RECORDING: recording_action_name(1),
            Action.STOP_RECORDING: recording_action_name(2),
        }[self]

    @property
    def needs_confirmation(self) -> bool:
        return self in (Action.END_CLASS, Action.STOP_RECORDING)

    @property
    def done(self) -> str:
        return {
            Action.START_CLASS: "class started",
            Action.END_CLASS: "class ended",
            Action.START_RECORDING: "recording started",
            Action.STOP_RECORDING: "recording stopped",
        }[self]

    def call(self, client: ClassroomClient, room: str) -> Awaitable[object]:
        calls: dict[Action, Callable[[], Awaitable[object]]] = {
            Action.START_CLASS: lambda: client.set_class_state(room, ClassState.STARTED),
            Action.END_CLASS: lambda: client.set_class_state(room, ClassState.ENDED),
            Action.START_RECORDING: lambda: client.set_recording_state(room, RecordingAction.START),
            Action.STOP_RECORDING: lambda: client.set_recording_state(room, RecordingAction.STOP),
        }
        return calls[self]()


ButtonVariant = Literal["success", "error", "primary", "warning"]
BUTTONS: tuple[tuple[Action, str, ButtonVariant], ...] = (
    (Action.START_CLASS, "Start class", "success"),
    (Action.END_CLASS, "End class", "error"),
    (Action.START_RECORDING, "Start rec", "primary"),
    (Action.STOP_RECORDING, "Stop rec", "warning"),
)


@dataclass
class RoomState:
    """What we last heard about a room; None where we have heard nothing."""

    class_state: int | None = None
    recording: bool | None = None

    def describe(self) -> str:
        klass = (
            "unknown"
            if self.class_state is None
            else CLASS_STATE_NAMES.get(self.class_state, f"state {self.class_state}")
        )
        recording = {None: "unknown", True: "on", False: "off"}[self.recording]
        return f"class: {klass} · recording: {recording}"


class RoomController(Widget, can_focus=False):
    """Pane `#controller`. The app feeds it every event batch through `observe_events`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start_class", "Start class", id="controller.start_class"),
        Binding("e", "end_class", "End class", id="controller.end_class"),
        Binding("r", "start_recording", "Start rec", id="controller.start_recording"),
        Binding("x", "stop_recording", "Stop rec", id="controller.stop_recording"),
    ]

    @dataclass
    class ActionFinished(Message):
        """A controller call ended: `error` is None on success. `sent` is False when nothing
        reached the service (bad input, not connected); `failure` is the service's or the
        network's error, for the audit trail."""

        room: str
        action: str
        error: str | None
        sent: bool = True
        failure: ClassroomError | None = None
        audit_name: str = ""

    def __init__(self, *, id: str | None = "controller") -> None:
        super().__init__(id=id)
        self.rooms: dict[str, RoomState] = {}
        self._state_shown = RoomState().describe()
        self._result_room: str | None = None  # the room the result line is about

    def compose(self) -> ComposeResult:
        yield RoomField(placeholder="room id (Enter: to the buttons)")
        yield Static(self._state_shown, id="controller-state", markup=False)
        with Grid(id="controller-buttons"):
            for action, label, variant in BUTTONS:
                yield Button(label, id=action.value, variant=variant, compact=True)
        yield Static("", id="controller-result", markup=False)
        yield OptionList(id="controller-rooms")

    def on_mount(self) -> None:
        self.border_title = "Room controller"
        self.query_one("#controller-rooms", OptionList).border_title = "Rooms seen (Enter: pick)"
        # After the app's on_mount, which applies config.toml's [keymap].
        self.call_after_refresh(self.show_keys)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        """Each button says the key bound to its action, after the user's keymap, where the
        button is wide enough (the footer says it too)."""
        for action, label, _variant in BUTTONS:
            button = self.query_one(f"#{action.value}", Button)
            key = first_key(self, f"controller.{action.value}")
            text = f"{label} [{key}]" if key is not None else label
            if button.size.width and len(text) > button.size.width:
                text = label
            if str(button.label) != text:
                button.label = Text(text)

    # -- what we know about rooms --------------------------------------------------------

    def observe_events(self, events: Sequence[Event]) -> None:
        new_rooms: list[str] = []
        for event in events:
            state = self.rooms.get(event.room_uuid)
            if state is None:
                state = self.rooms[event.room_uuid] = RoomState()
                new_rooms.append(event.room_uuid)
            if event.cmd == CLASS_STATE_CMD and isinstance(event.data.get("state"), int):
                state.class_state = event.data["state"]
                if state.class_state == ClassState.ENDED and state.recording:
                    state.recording = False
            elif event.cmd == RECORDING_STATE_CMD and "state" in event.data:
                state.recording = event.data["state"] == 1
        if new_rooms:
            self._list_rooms(new_rooms)
        self._show_state()

    def _list_rooms(self, new_rooms: list[str]) -> None:
        rooms = self.query_one("#controller-rooms", OptionList)
        for room in new_rooms:
            if rooms.option_count >= MAX_ROOMS_LISTED:
                break
            # Text, not a markup string: room ids such as "chem [A] 50%" hold brackets.
            rooms.add_option(Option(Text(room), id=f"room-{rooms.option_count}"))
        self.query_one(RoomField).add_suggestions(new_rooms)

    def _show_state(self) -> None:
        room = self.query_one(RoomField).room
        state = self.rooms.get(room, RoomState())
        text = state.describe()
        if text != self._state_shown:
            # Static.update lays the whole screen out again: not once per batch of a flood.
            self._state_shown = text
            self.query_one("#controller-state", Static).update(text)

    @on(Input.Changed)
    def _room_changed(self) -> None:
        self._show_state()
        self._clear_stale_result()

    def _clear_stale_result(self) -> None:
        """A result about another room than the one in the field now would mislead."""
        if self._result_room is not None and self._result_room != self.query_one(RoomField).room:
            self._show_result("", error=False)

    @on(Input.Submitted)
    def _room_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.query_one(RoomField).show_problem() is None:
            self.query_one("#start_class", Button).focus()

    @on(OptionList.OptionSelected, "#controller-rooms")
    def _room_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        prompt = event.option.prompt
        self.query_one(RoomField).room = prompt.plain if isinstance(prompt, Text) else str(prompt)
        self._show_state()
        self._clear_stale_result()

    # -- the four actions ----------------------------------------------------------------

    @on(Button.Pressed, "#controller-buttons Button")
    def _button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.request(Action(event.button.id))

    def action_start_class(self) -> None:
        self.request(Action.START_CLASS)

    def action_end_class(self) -> None:
        self.request(Action.END_CLASS)

    def action_start_recording(self) -> None:
        self.request(Action.START_RECORDING)

    def action_stop_recording(self) -> None:
        self.request(Action.STOP_RECORDING)

    def request(self, action: Action) -> None:
        """Validate the room, ask for confirmation where needed, then call the service."""
        field = self.query_one(RoomField)
        room = field.room
        problem = field.show_problem()
        if problem is not None:
            self._show_result(f"cannot {action.label}: {problem}", error=True, room=room)
            return
        if not action.needs_confirmation:
            self._call(action, room)
            return
        verb = action.label.capitalize()
        message = f"{verb} in room {room!r}?\nApp ID: {console_app_id(self)}\n" + (
            "Everyone in the class is disconnected and the class cannot restart."
            if action is Action.END_CLASS
            else "The recording file is finalised; a new start makes a new recording."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._call(action, room)
            else:
                self._show_result(f"{action.label} in {room!r} cancelled", error=False, room=room)

        self.app.push_screen(ConfirmScreen(f"{verb}?", message, verb), confirmed)

    @work(group="actions", exit_on_error=False)
    async def _call(self, action: Action, room: str) -> None:
        client = console_client(self)
        if client is None:
            self._finish(action, room, "not connected to the service", sent=False)
            return
        self._show_result(f"{action.label} in {room!r}…", error=False, room=room)
        try:
            await action.call(client, room)
        except InvalidInput as exc:
            self._finish(action, room, str(exc), sent=False)
            return
        except ClassroomError as exc:
            self._finish(action, room, exc.describe(), failure=exc)
            return
        self._remember(action, room)
        self._finish(action, room, None)

    def _remember(self, action: Action, room: str) -> None:
        state = self.rooms.setdefault(room, RoomState())
        if action is Action.START_CLASS:
            state.class_state = ClassState.STARTED
        elif action is Action.END_CLASS:
            state.class_state, state.recording = ClassState.ENDED, False
        else:
            state.recording = action is Action.START_RECORDING
        self._show_state()

    def _finish(
        self,
        action: Action,
        room: str,
        error: str | None,
        *,
        sent: bool = True,
        failure: ClassroomError | None = None,
    ) -> None:
        if error is None:
            text = f"{action.done} in {room!r}"
        else:
            text = f"{action.label} in {room!r} failed: {error}"
        self._show_result(text, error=error is not None, room=room)
        self.notify(
            text,
            title="Room controller",
            severity="error" if error else "information",
            markup=False,
        )
        self.post_message(
            self.ActionFinished(room, action.value, error, sent, failure, action.audit_name)
        )

    def _show_result(self, text: str, *, error: bool, room: str | None = None) -> None:
        self._result_room = room
        result = self.query_one("#controller-result", Static)
        result.set_class(error, "-error")
        result.set_class(not error, "-ok")
        result.update(text)
        if text:
            self.call_after_refresh(result.scroll_visible, animate=False)
