"""Matches from the journal for the log's filter, beyond what the live log still holds.

A screen of its own over the live log, so it is plain what is shown: stored events, not the
live tail. Esc goes back to the live log, which kept running underneath."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...events import EventDecoder, StoredEvent
from ..widgets.event_log import EventLog


class JournalSearchScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back to live log", id="search.close"),
    ]

    def __init__(
        self,
        query: str,
        matches: Sequence[StoredEvent],
        capped: bool,
        today: date | None = None,
    ) -> None:
        super().__init__(id="journal-search")
        self.query_text = query
        self.matches = list(matches)
        self.capped = capped
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        found = f"{len(self.matches)} match(es)" + (" (the newest only)" if self.capped else "")
        title = f"Journal search: {self.query_text or 'everything'} · {found}"
        with Vertical(id="search-box", classes="dialog-box"):
            yield Static(title, id="search-title", classes="prompt-title", markup=False)
            yield Static(
                "stored events, oldest first · enter: details · esc: back to the live log",
                classes="prompt-help",
            )
            yield EventLog(max_lines=max(1, len(self.matches)), id="search-results")

    def on_mount(self) -> None:
        log = self.query_one(EventLog)
        decoder = EventDecoder()
        log.add_entries(
            (decoder.decode(m.event), datetime.fromtimestamp(m.fetched_at)) for m in self.matches
        )
        self._date_older_rows(log)
        log.focus()

    def _date_older_rows(self, log: EventLog) -> None:
        """The journal keeps 30 days: a time alone would not say which day. Every row gets a
        date-wide time column once one is from another day, so the columns stay aligned."""
        rows = log.buffer.rows
        if all(row.received.date() == self.today for row in rows):
            return
        for row in rows:
            day = row.received.date()
            shown = "today" if day == self.today else day.isoformat()
            # The row's time text is derived at creation and read when drawn.
            row.time_text = f"{shown:<10} {row.received:%H:%M:%S}"
        log.redraw()

    def action_close(self) -> None:
        self.dismiss(None)
