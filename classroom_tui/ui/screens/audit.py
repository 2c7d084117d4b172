"""The audit trail: every class and recording change sent from here or the CLI, and how the
service answered (read from the journal in a thread before this screen opens)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...events import AuditEntry


def _when(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M:%S")


class AuditScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="audit.close"),
    ]

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        super().__init__(id="audit")
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        title = f"Audit trail · {len(self.entries)} change(s), newest last · esc closes"
        with Vertical(id="audit-box", classes="dialog-box"):
            yield Static(title, id="audit-title", classes="prompt-title")
            table: DataTable[Text] = DataTable(
                id="audit-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("Time", "Profile", "uid", "Room", "Action", "HTTP", "Code", "Outcome")
            for entry in self.entries:
                failed = entry.outcome != "ok"
                # Text, not str: a str cell is read as markup and rooms may hold brackets.
                table.add_row(
                    Text(_when(entry.at)),
                    Text(entry.profile),
                    Text(entry.uid),
                    Text(entry.room),
                    Text(entry.action),
                    Text("—" if entry.http_status is None else str(entry.http_status)),
                    Text("—" if entry.code is None else str(entry.code)),
                    Text(entry.outcome, style="bold red" if failed else "green"),
                )
            if not self.entries:
                yield Static("No state changes recorded yet.", classes="prompt-help")
            yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.focus()
        if self.entries:
            table.move_cursor(row=len(self.entries) - 1)

    def action_close(self) -> None:
        self.dismiss(None)
