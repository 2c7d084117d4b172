"""`?`: every key binding of the console, generated from the bindings themselves (so keys
remapped in config.toml show as remapped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..keymap import BindingRow


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[BindingRow]) -> None:
        super().__init__(id="help")
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys  ·  esc closes  ·  remap in config.toml [keymap]", id="help-title")
            table: DataTable[str] = DataTable(
                id="help-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("Keys", "Action", "Where", "Binding id")
            for row in self.rows:
                table.add_row(row.keys, row.description, row.section, row.binding_id)
            yield table

    def action_close(self) -> None:
        self.dismiss(None)
