"""The live event log: a Line-API scroll view over a bounded list of rows.

One widget for the whole log (never one per line); rows are rendered only when they are on
screen, and batches are added in one go, so a flood costs one refresh per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...events import DecodedEvent, Gap
from .event_log_model import (
    DEFAULT_MAX_LINES,
    GAP,
    LIVE_SEPARATOR,
    SEPARATOR,
    LogBuffer,
    LogRow,
    gap_note,
    note_event,
)

# An entry to add: an event or a gap, and (for history) when it was fetched.
LogEntry = DecodedEvent | Gap

KIND_CLASSES = (
    "class",
    "chat",
    "users",
    "recording",
    "resources",
    "rewards",
    "stage",
    "hands",
    "widget",
    "unknown",
)
ROOM_WIDTH = 18
KIND_WIDTH = 9
# Rendered lines kept: following a flood scrolls every visible row each frame, and a row once
# rendered looks the same until the width, the cursor or the theme changes.
LINE_CACHE_SIZE = 256


class EventLog(ScrollView, can_focus=True):
    """Shows events one per line; follows the tail unless the cursor was moved up."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-log--time",
        "event-log--room",
        "event-log--sequence",
        "event-log--cursor",
        "event-log--gap",
        "event-log--separator",
        "event-log--history",
        *(f"event-log--kind-{kind}" for kind in KIND_CLASSES),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "show_event", "Details", id="log.show_event"),
        Binding("escape", "clear_filter", "Clear filter", id="log.clear_filter", show=False),
        Binding("up,k", "cursor_up", "Up", id="log.cursor_up", show=False),
        Binding("down,j", "cursor_down", "Down", id="log.cursor_down", show=False),
        Binding("pageup", "page_up", "Page up", id="log.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="log.page_down", show=False),
        Binding("home,g", "first", "First", id="log.first", show=False),
        Binding("end,G", "last", "Last (follow)", id="log.last", show=False),
    ]

    @dataclass
    class RowChosen(Message):
        """Enter was pressed on a row."""

        row: LogRow

    @dataclass
    class FilterCleared(Message):
        pass

    class Painted(Message):
        """The log was drawn for the first time: the first frame is on its way out."""

    def __init__(
        self,
        *,
        max_lines: int = DEFAULT_MAX_LINES,
        now: Callable[[], datetime] = datetime.now,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.buffer = LogBuffer(max_lines)
        self.now = now
        self.cursor = -1
        self._styles: dict[str, Style] = {}
        self._lines: LRUCache[tuple[int, bool, int, int], Strip] = LRUCache(LINE_CACHE_SIZE)
        self._follow_scheduled = False
        self._painted = False

    def _follow_tail(self) -> None:
        self._follow_scheduled = False
        if self.following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    # -- data ------------------------------------------------------------------------------

    def add_events(self, decoded: Iterable[DecodedEvent]) -> None:
        """Add a batch of decoded events (one refresh for the whole batch)."""
        received = self.now()
        self.add_entries(list(decoded), received=received)

    def add_entries(
        self,
        entries: Iterable[LogEntry | tuple[LogEntry, datetime]],
        *,
        received: datetime | None = None,
        history: bool = False,
    ) -> None:
        """Add events and gaps in one go. An entry may carry its own time (history rows);
        the others get `received`, or now."""
        when = received or self.now()
        rows: list[LogRow] = []
        for entry in entries:
            item, at = entry if isinstance(entry, tuple) else (entry, when)
            serial = self.buffer.next_serial()
            if isinstance(item, Gap):
                rows.append(LogRow(serial, gap_note(item), at, note=GAP, history=history))
            else:
                rows.append(LogRow(serial, item, at, history=history))
        self._add_rows(rows)

    def add_separator(self, text: str = LIVE_SEPARATOR) -> None:
        """The line between the history read from the journal and the live events."""
        decoded = note_event("", 0, SEPARATOR, text)
        self._add_rows([LogRow(self.buffer.next_serial(), decoded, self.now(), note=SEPARATOR)])

    def _add_rows(self, rows: list[LogRow]) -> None:
        if rows:
            was_following = self.following
            appended, dropped = self.buffer.add(rows)
            if appended or dropped:
                self._after_append(dropped, was_following)

    @property
    def following(self) -> bool:
        return self.cursor < 0 or self.cursor >= len(self.buffer.view) - 1

    def _after_append(self, dropped: int, was_following: bool) -> None:
        was_following = was_following or dropped >= self.cursor + 1
        view_len = len(self.buffer.view)
        if was_following:
            self.cursor = view_len - 1
        else:
            self.cursor = max(0, self.cursor - dropped)
        # Width 0: lines are cropped to the pane, never scrolled sideways.
        self.virtual_size = Size(0, view_len)
        if was_following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
            if not self._follow_scheduled:
                # The first batches may land before layout knows the height: follow again after.
                self._follow_scheduled = True
                self.call_after_refresh(self._follow_tail)
        elif dropped:
            self.scroll_to(y=max(0, self.scroll_offset.y - dropped), animate=False)
        self.refresh()

    @property
    def paused(self) -> bool:
        return self.buffer.paused

    def pause(self) -> None:
        self.buffer.pause()

    def resume(self) -> None:
        _appended, dropped = self.buffer.resume()
        self._after_append(dropped, True)

    def set_filter(self, text: str) -> None:
        self.buffer.set_filter(text)
        self._after_append(0, True)

    @property
    def filter_text(self) -> str:
        return self.buffer.filter.text

    @property
    def selected_row(self) -> LogRow | None:
        view = self.buffer.view
        return view[self.cursor] if 0 <= self.cursor < len(view) else None

    def event_rows(self) -> list[LogRow]:
        """The events in the current (filtered) view, without gap or separator lines."""
        return [row for row in self.buffer.view if row.is_event]

    def visible_lines(self) -> list[str]:
        """The rows in the view as plain text, for tests and copying."""
        return [self._plain(row) for row in self.buffer.view]

    # -- actions ---------------------------------------------------------------------------

    def _move(self, to: int) -> None:
        view_len = len(self.buffer.view)
        if not view_len:
            return
        self.cursor = max(0, min(view_len - 1, to))
        self.scroll_to_region_of_cursor()
        self.refresh()

    def scroll_to_region_of_cursor(self) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.buffer.view) - 1)

    def action_show_event(self) -> None:
        row = self.selected_row
        if row is not None and row.is_event:
            self.post_message(self.RowChosen(row))

    def action_clear_filter(self) -> None:
        if not self.buffer.filter.active:
            # Let esc mean what the screen or app make of it (back, close...).
            raise SkipAction()
        self.set_filter("")
        self.post_message(self.FilterCleared())

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def redraw(self) -> None:
        """Repaint every row from scratch (after rows were changed in place)."""
        self._lines.clear()
        self.refresh()

    def _base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    @staticmethod
    def _plain(row: LogRow) -> str:
        if row.note == SEPARATOR:
            return row.summary
        if row.note:
            return f"{row.time_text}  {row.summary}"
        return f"{row.time_text}  {row.room}  #{row.sequence}  {row.kind}  {row.summary}"

    def render_line(self, y: int) -> Strip:
        if not self._painted:
            self._painted = True
            self.post_message(self.Painted())
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        view = self.buffer.view
        if index >= len(view):
            return Strip.blank(width, self._base_style())
        row = view[index]
        key = (row.serial, index == self.cursor, width, scroll_x)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._render_row(row, key[1], scroll_x, width)
        return strip

    def _render_row(self, row: LogRow, is_cursor: bool, scroll_x: int, width: int) -> Strip:
        line_style = self._base_style()
        if is_cursor:
            line_style = line_style + self._style("event-log--cursor")
        if row.note:
            return self._note_line(row, line_style, scroll_x, width)
        room = row.room
        if len(room) > ROOM_WIDTH:
            room = room[: ROOM_WIDTH - 1] + "…"
        kind = row.kind if row.kind in KIND_CLASSES else "unknown"
        segments = [
            Segment(row.time_text + "  ", self._style("event-log--time")),
            Segment(f"{room:<{ROOM_WIDTH}} ", self._style("event-log--room")),
            Segment(f"#{row.sequence:<6} ", self._style("event-log--sequence")),
            Segment(f"{row.kind:<{KIND_WIDTH}} ", self._style(f"event-log--kind-{kind}")),
            Segment(row.summary.replace("\n", " ")),
        ]
        if row.history:
            history = self._style("event-log--history")
            segments = [Segment(seg.text, (seg.style or Style()) + history) for seg in segments]
        strip = Strip(segments).apply_style(line_style)
        return strip.crop_extend(scroll_x, scroll_x + width, line_style)

    def _note_line(self, row: LogRow, line_style: Style, scroll_x: int, width: int) -> Strip:
        if row.note == SEPARATOR:
            text = f" {row.summary} ".center(max(width, 1), "─")
            segments = [Segment(text, self._style("event-log--separator"))]
        else:
            segments = [
                Segment(row.time_text + "  ", self._style("event-log--time")),
                Segment(row.summary, self._style("event-log--gap")),
            ]
        strip = Strip(segments).apply_style(line_style)
        return strip.crop_extend(scroll_x, scroll_x + width, line_style)
