"""Every field of one recording, with times and codes spelled out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...api import Record
from ..widgets.recordings_pager import format_duration

TYPE_NAMES = {1: "single-stream", 2: "composite"}
STATUS_NAMES = {1: "recording", 2: "finished"}
TIME_FIELDS = ("startTime", "endTime")


def shown_value(name: str, value: Any) -> str:
    """A field as people read it. Tokens (the whiteboard's) are not shown on screen."""
    if "token" in name.lower() and isinstance(value, str) and value:
        return f"(hidden, {len(value)} characters)"
    if name in TIME_FIELDS and isinstance(value, int):
        seconds = datetime.fromtimestamp(value / 1000).strftime("%Y-%m-%d %H:%M:%S")
        return f"{seconds}  ({value})"
    if name == "type" and isinstance(value, int):
        return f"{TYPE_NAMES.get(value, 'unknown')} ({value})"
    if name == "status" and isinstance(value, int):
        return f"{STATUS_NAMES.get(value, 'unknown')} ({value})"
    if name == "duration":
        return format_duration(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2)


def copy_notice(url: str) -> str:
    return f"URL sent to the clipboard (if your terminal allows it): {url}"


class RecordDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="record_detail.close"),
        Binding("y", "copy_url", "Copy URL", id="record_detail.copy_url"),
    ]

    def __init__(self, record: Record) -> None:
        super().__init__(classes="record-detail-screen")
        self.record = record
        fields = dict(record.to_json())
        fields["duration"] = record.duration_ms
        self.rows = [(name, shown_value(name, value)) for name, value in fields.items()]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for name, value in self.rows:
            # Text, not str: a str cell is read as markup, and ids or URLs may hold brackets.
            table.add_row(Text(name), Text(value))
        with VerticalScroll(id="record-detail"):
            yield Static(
                f"Recording {self.record.record_id}", id="record-detail-title", markup=False
            )
            yield Static(table, id="record-detail-fields")
            yield Static("Esc / Enter: close · y: copy URL", id="record-detail-hint")

    def on_mount(self) -> None:
        self.query_one("#record-detail", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_url(self) -> None:
        if self.record.url:
            self.app.copy_to_clipboard(self.record.url)
            # The terminal may ignore the request (tmux does by default) and nothing tells us:
            # show the URL so it can be selected from the screen as well.
            self.notify(copy_notice(self.record.url), title="Recordings", markup=False)
        else:
            self.notify("this recording has no URL yet", severity="warning")
