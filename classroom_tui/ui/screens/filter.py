"""`/`: type a log filter. Enter applies it (empty shows everything), Esc leaves it as is."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

FILTER_HELP = "room:NAME  kind:chat (or a cmd number)  words…  ·  enter applies, empty clears"


class FilterScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
    ]

    def __init__(self, current: str = "", title: str = "Filter the event log") -> None:
        super().__init__(id="filter")
        self.current = current
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Static(self.title_text, id="filter-title", markup=False)
            yield Input(self.current, placeholder="e.g. room:physics kind:chat", id="filter-input")
            yield Static(FILTER_HELP, id="filter-help")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
