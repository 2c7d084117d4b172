"""A table of one-line plain-text rows drawn with the Line API, for the recordings browser.

Each row is formatted once into a single line of padded columns (`TableLines`, built while the
page is prefetched); drawing the table cuts the lines that are on screen out of those strings.
Showing another page is then a pointer swap plus a repaint of the visible rows, whatever the
page holds, instead of clearing and refilling a DataTable (which measures and renders every
cell through Rich). It looks and moves like a DataTable with a row cursor and zebra stripes:
up/down, page up/down, ctrl+home/end, left/right/home/end scroll sideways, a click moves the
cursor and a click on the cursor row chooses it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

# Control characters from the service would reach the terminal as they are: show a stand-in.
_CONTROL = {code: "\ufffd" for code in (*range(32), *range(127, 160))}


# Rich measures a run of printable ASCII at C speed but anything else one character at a time
# (an "…" in a line of 90 cells costs 90 lookups each time the screen is composed), so
# lines are drawn as ASCII runs with the other characters as segments of their own.
_ASCII = frozenset(map(chr, range(0x20, 0x7F)))


def printable(text: str) -> str:
    return text.translate(_CONTROL)


def non_ascii_splitter(texts: Iterable[str]) -> re.Pattern[str] | None:
    others = set().union(*texts) - _ASCII
    if not others:
        return None
    return re.compile("([" + re.escape("".join(sorted(others))) + "])")


@dataclass(frozen=True, eq=False)
class TableLines:
    """A page ready to draw: the header and every row as one line, each cell padded to its
    column's width with one space either side (as a DataTable lays them out)."""

    header: str
    lines: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    # One cell per character in every line, so a line can be cut by index (no wide or
    # zero-width characters).
    narrow: bool
    # Splits a line around its characters that are not ASCII (None: there are none).
    splitter: re.Pattern[str] | None

    @classmethod
    def build(
        cls,
        columns: Sequence[str],
        rows: Iterable[Sequence[str]],
        min_widths: Sequence[int] = (),
    ) -> TableLines:
        cells = tuple(tuple(printable(cell) for cell in row) for row in rows)
        lengths = [[cell_len(cell) for cell in row] for row in cells]
        widths = [cell_len(label) for label in columns]
        for index, minimum in enumerate(min_widths[: len(widths)]):
            widths[index] = max(widths[index], minimum)
        for row_lengths in lengths:
            for index, length in enumerate(row_lengths):
                if length > widths[index]:
                    widths[index] = length

        def line(row: Sequence[str], row_lengths: Sequence[int]) -> str:
            return "".join(
                f" {cell}{' ' * (width - length)} "
                for cell, length, width in zip(row, row_lengths, widths, strict=True)
            )

        header = line(columns, [cell_len(label) for label in columns])
        lines = tuple(map(line, cells, lengths))
        narrow = all(len(text) == cell_len(text) for text in (header, *lines))
        splitter = non_ascii_splitter((header, *lines))
        return cls(header, lines, cells, tuple(widths), narrow, splitter)

    @property
    def width(self) -> int:
        return sum(self.widths) + 2 * len(self.widths)


class RecordsView(ScrollView, can_focus=True):
    """Shows one `TableLines` at a time, header fixed on top, with a row cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "records-view--header",
        "records-view--even-row",
        "records-view--odd-row",
        "records-view--cursor",
    }

    # The DataTable's look, so the pane reads the same as before.
    DEFAULT_CSS = """
    RecordsView {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .records-view--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .records-view--header { background-tint: $foreground 5%; }
        }
        & > .records-view--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .records-view--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .records-view--even-row { background: $surface-lighten-1 50%; }
        &:dark > .records-view--even-row { background: $surface-darken-1 40%; }
        & > .records-view--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "cursor_top", "Top", show=False),
        Binding("ctrl+end", "cursor_bottom", "Bottom", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("home", "scroll_leftmost", "Leftmost", show=False),
        Binding("end", "scroll_rightmost", "Rightmost", show=False),
    ]

    class Chosen(Message):
        """The row under the cursor was clicked again (Enter is the pane's binding)."""

        def __init__(self, view: RecordsView, row: int) -> None:
            super().__init__()
            self.view = view
            self.row = row

        @property
        def control(self) -> RecordsView:
            return self.view

    def __init__(self, columns: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._empty = TableLines.build(columns, ())
        self._table = self._empty
        self.cursor_row = 0
        self._line_styles: tuple[Style, Style, Style, Style, Style, Style] | None = None

    # -- content ---------------------------------------------------------------------------

    @property
    def table(self) -> TableLines:
        return self._table

    @property
    def row_count(self) -> int:
        return len(self._table.lines)

    def show(self, table: TableLines) -> None:
        """Draw `table` from its first row, leftmost column (as a cleared DataTable would)."""
        self._table = table
        self.cursor_row = 0
        self.scroll_x = self.scroll_y = 0
        self.scroll_target_x = self.scroll_target_y = 0
        size = Size(table.width, len(table.lines) + 1)
        # Only a new size needs a layout; a page like the last one is a repaint of this region.
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()

    def clear(self) -> None:
        self.show(self._empty)

    # -- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_styles = None

    def _on_focus(self, event: events.Focus) -> None:
        self._line_styles = None
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._line_styles = None
        self.refresh()

    def _styles_now(self) -> tuple[Style, Style, Style, Style, Style, Style]:
        if self._line_styles is None:
            base = self.rich_style
            component = self.get_component_rich_style
            even = base + component("records-view--even-row")
            odd = base + component("records-view--odd-row")
            cursor = component("records-view--cursor")
            header = base + component("records-view--header")
            self._line_styles = (base, header, even, odd, even + cursor, odd + cursor)
        return self._line_styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base, header, even, odd, even_cursor, odd_cursor = self._styles_now()
        table = self._table
        if y == 0:
            text, style = table.header, header
        else:
            row = scroll_y + y - 1
            if row >= len(table.lines):
                return Strip.blank(width, base)
            text = table.lines[row]
            if row == self.cursor_row:
                style = odd_cursor if row % 2 else even_cursor
            else:
                style = odd if row % 2 else even
        if table.narrow:
            text = text[scroll_x : scroll_x + width]
            if len(text) < width:
                text += " " * (width - len(text))
        else:
            text = Strip([Segment(text)]).crop_extend(scroll_x, scroll_x + width, None).text
        if table.splitter is None:
            return Strip([Segment(text, style)], width)
        pieces = table.splitter.split(text)
        return Strip([Segment(piece, style) for piece in pieces if piece], width)

    # -- cursor ----------------------------------------------------------------------------

    @property
    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        row = max(0, min(row, self.row_count - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        self._scroll_cursor_into_view()

    def _refresh_row(self, row: int) -> None:
        top = row + 1 - round(self.scroll_y)
        if 0 < top < self.size.height:
            self.refresh(Region(0, top, self.size.width, 1))

    def _scroll_cursor_into_view(self) -> None:
        top, visible = round(self.scroll_target_y), self.visible_rows
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, force=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_down(self) -> None:
        visible = self.visible_rows
        self.scroll_to(y=self.scroll_target_y + visible, animate=False, force=True)
        self.move_cursor(self.cursor_row + visible)

    def action_page_up(self) -> None:
        visible = self.visible_rows
        self.scroll_to(y=self.scroll_target_y - visible, animate=False, force=True)
        self.move_cursor(self.cursor_row - visible)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_scroll_leftmost(self) -> None:
        self.scroll_to(x=0, animate=False, force=True)

    def action_scroll_rightmost(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False, force=True)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = round(self.scroll_y) + offset.y - 1
        if row >= self.row_count:
            return
        event.stop()
        if row == self.cursor_row:
            self.post_message(self.Chosen(self, row))
        else:
            self.move_cursor(row)
