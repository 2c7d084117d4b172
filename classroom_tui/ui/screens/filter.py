"""`/`: type a log filter. Enter applies it (empty shows everything), Esc leaves it as is.
The same prompt, with its own help line, asks what to search the journal for (`f`)."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

FILTER_HELP = "room:NAME  kind:chat (or a cmd number)  words…  ·  enter applies, empty clears"
SEARCH_HELP = (
    "room:NAME  kind:chat (or a cmd number)  words…  ·  enter searches the stored events "
    "(last 30 days), empty finds everything"
)
SEARCH_TITLE = "Search the journal (same syntax as the filter; esc cancels)"


class FilterScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
    ]
    AUTO_FOCUS = "#filter-input"

    def __init__(
        self, current: str = "", title: str = "Filter the event log", help_text: str | None = None
    ) -> None:
        super().__init__(id="filter")
        self.current = current
        self.title_text = title
        if help_text is None:
            help_text = SEARCH_HELP if title == SEARCH_TITLE else FILTER_HELP
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Static(self.title_text, id="filter-title", markup=False)
            yield Input(self.current, placeholder="e.g. room:physics kind:chat", id="filter-input")
            yield Static(self.help_text, id="filter-help", markup=False)

    def on_key(self, event: events.Key) -> None:
        # Keys typed in the same burst as `/` reach this screen before its Input has focus
        # (the app routes them while the screen is still being built): type them in here.
        field = self.query_one("#filter-input", Input)
        if event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self.dismiss(field.value.strip())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
