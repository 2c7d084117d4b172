"""The room-id field both panes share: an Input that says, as you type, what is wrong with the
room id (which character is not allowed, or how far over the length limit it is)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Static

from ...api import ConnectionSettings, room_uuid_problem

if TYPE_CHECKING:
    from ...api import ClassroomClient

MAX_SUGGESTIONS = 200


class ConsoleHost(Protocol):
    """What the panes need from the app that hosts them."""

    client: ClassroomClient | None
    settings: ConnectionSettings | None
    profile_name: str


def console_client(widget: Widget) -> ClassroomClient | None:
    return cast("ClassroomClient | None", getattr(widget.app, "client", None))


def console_app_id(widget: Widget) -> str:
    settings = cast(ConnectionSettings | None, getattr(widget.app, "settings", None))
    return settings.app_id if settings is not None else "(not connected)"


class RoomIdValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        problem = room_uuid_problem(value)
        return self.success() if problem is None else self.failure(problem)


class RoomField(Widget):
    """A labelled room-id Input with its live validation message underneath."""

    DEFAULT_CSS = """
    RoomField { height: auto; }
    RoomField > .room-problem { height: auto; color: $text-muted; }
    RoomField.-invalid > .room-problem { color: $error; }
    """

    def __init__(self, *, placeholder: str = "room id", id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder
        self._known: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=self._placeholder,
            validators=[RoomIdValidator()],
            validate_on=["changed", "submitted"],
            valid_empty=False,
            suggester=SuggestFromList([], case_sensitive=True),
            classes="room-input",
            compact=True,
            # Focusing the pane (`2`, `3`) must not arm the next key to replace the room.
            select_on_focus=False,
        )
        yield Static("", classes="room-problem", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def room(self) -> str:
        return self.input.value

    @room.setter
    def room(self, value: str) -> None:
        self.input.value = value

    @property
    def problem(self) -> str | None:
        return room_uuid_problem(self.room)

    def on_descendant_focus(self) -> None:
        self.input.cursor_position = len(self.input.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_problem(event.value)

    def _show_problem(self, value: str) -> None:
        problem = room_uuid_problem(value) if value else None
        self.set_class(problem is not None, "-invalid")
        self.query_one(".room-problem", Static).update(problem or "")

    def show_problem(self) -> str | None:
        """Show (even for an empty field) why the room cannot be used; None when it can."""
        problem = self.problem
        self.set_class(problem is not None, "-invalid")
        self.query_one(".room-problem", Static).update(problem or "")
        return problem

    def add_suggestions(self, rooms: Iterable[str]) -> None:
        """Offer rooms seen elsewhere (the event stream) as completions while typing."""
        changed = False
        for room in rooms:
            if room not in self._known:
                self._known.append(room)
                changed = True
        if changed:
            del self._known[:-MAX_SUGGESTIONS]
            self.input.suggester = SuggestFromList(self._known, case_sensitive=True)
