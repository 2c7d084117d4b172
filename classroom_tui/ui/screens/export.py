"""Export the log's current (filtered) view: ask where, with a path already filled in."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

EXPORT_HELP = "a .csv name writes CSV, anything else JSON Lines  ·  enter writes, esc cancels"


class ExportScreen(ModalScreen[Path | None]):
    """Dismisses with the file to write, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, default_path: Path, count: int, filter_text: str) -> None:
        super().__init__(id="export")
        self.default_path = default_path
        self.count = count
        self.filter_text = filter_text

    def compose(self) -> ComposeResult:
        what = f"{self.count} event(s)"
        if self.filter_text:
            what += f" matching {self.filter_text!r}"
        with Vertical(id="export-box", classes="prompt-box"):
            yield Static(f"Export {what}", id="export-title", classes="prompt-title", markup=False)
            yield Input(str(self.default_path), id="export-path")
            yield Static("", id="export-problem", markup=False)
            yield Static(EXPORT_HELP, classes="prompt-help")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#export-problem", Static).update("the file name is empty")
            return
        self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
