"""Enter on a log line: the whole event as the service sent it, as pretty JSON."""

from __future__ import annotations

import json
from typing import ClassVar

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.event_log_model import LogRow


def event_json(row: LogRow) -> str:
    return json.dumps(row.decoded.event.to_json(), indent=2, ensure_ascii=False, sort_keys=True)


class EventDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="detail.close"),
    ]

    def __init__(self, row: LogRow) -> None:
        super().__init__(id="event-detail")
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        title = (
            f"{row.time_text}  {row.room}  #{row.sequence}  "
            f"{row.kind} (cmd {row.cmd})  ·  esc closes"
        )
        with Vertical(id="detail-box"):
            # Room names, user names and chat are free text: never read them as markup.
            yield Static(title, id="detail-title", markup=False)
            yield Static(self.row.summary, id="detail-summary", markup=False)
            with VerticalScroll(id="detail-scroll"):
                yield Static(
                    Syntax(event_json(self.row), "json", background_color="default"),
                    id="detail-json",
                )

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
