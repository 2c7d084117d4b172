"""A DataTable for one-line plain-text cells that renders a cell as one padded Segment.

DataTable renders every visible cell through Rich (`Padding` in `Styled`, then
`Console.render_lines`) and measures every new cell: ~1 ms a cell, over 100 ms for a freshly
filled page of recordings. Cells here are `Text` without spans (no markup to parse) and a single
line, so a cell on screen is its text cut or padded to the column width, in the style DataTable
would have given it. Anything else (the header, styled cells) goes the usual way."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey, RowKey

SegmentLines = list[list[Segment]]


def _plain_width(cell: object) -> int | None:
    if isinstance(cell, Text) and not cell.spans and not cell.style and "\n" not in cell.plain:
        return cell.cell_len
    return None


class PlainTable(DataTable[Text]):
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures each new cell through the Rich console (~0.2 ms a cell); the
        # width of a plain one-line Text is its cell length.
        new_rows = list(new_rows)
        columns = self.ordered_columns
        widths = [column.content_width for column in columns]
        for row_key in new_rows:
            row = self.rows.get(row_key)
            if row is None or row_key not in self._row_locations:
                continue
            if row.label is not None or row.auto_height:
                super()._update_dimensions(new_rows)
                return
            cells = self._data[row_key]
            for index, column in enumerate(columns):
                width = _plain_width(cells.get(column.key))
                if width is None:
                    super()._update_dimensions(new_rows)
                    return
                widths[index] = max(widths[index], width)
        for column, width in zip(columns, widths, strict=True):
            column.content_width = width
        data_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            data_width + self._row_label_column_width, self._total_row_height + header_height
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0 or row_index < self.fixed_rows:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if (
            row is None
            or row_key is None
            or column_key is None
            or row.height != 1
            or column_index < self.fixed_columns
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key: CellCacheKey = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        cell = self._data[row_key].get(column_key)
        if not isinstance(cell, Text) or cell.spans or cell.style or "\n" in cell.plain:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        style = (
            base_style
            + Style.from_meta({"row": row_index, "column": column_index})
            + component_style
            + post_style
        )
        pad = " " * self.cell_padding
        inner = max(0, width - 2 * self.cell_padding)
        text = cell.plain
        if cell_len(text) != inner:
            text = set_cell_size(text, inner)
        lines: SegmentLines = [[Segment(f"{pad}{text}{pad}", style)]]
        self._cell_render_cache[cache_key] = lines
        return lines
