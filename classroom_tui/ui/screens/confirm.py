"""A yes/no question before something that cannot be undone. Cancel is focused, so Enter,
Escape and a stray keypress all leave things as they were."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only when the confirm button is pressed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="confirm.left"),
        Binding("right", "app.focus_next", "Next button", show=False, id="confirm.right"),
    ]

    def __init__(self, title: str, message: str, confirm_label: str) -> None:
        super().__init__(classes="confirm-screen")
        self._title = title
        self._message = message
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self._title, id="confirm-title", markup=False)
            yield Static(self._message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel", variant="primary")
                yield Button(self._confirm_label, id="confirm-ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-ok")

    def action_cancel(self) -> None:
        self.dismiss(False)
