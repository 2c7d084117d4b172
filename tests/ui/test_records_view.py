"""The recordings table (RecordsView): lines laid out once per page, the cursor keys of a
DataTable with a row cursor, scrolling that keeps the cursor in sight, clicks, and what reaches
the screen (only the rows in view, cut at the scroll offset, control characters replaced)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Offset

from classroom_tui.ui.widgets.records_view import RecordsView, TableLines

COLUMNS = ("id", "name")
SIZE = (30, 12)  # the view gets 12 lines: the header and 11 rows


def rows(count: int) -> list[tuple[str, str]]:
    return [(f"r{index}", f"name {index}") for index in range(count)]


class ViewApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield RecordsView(COLUMNS, id="view")

    def on_records_view_chosen(self, event: RecordsView.Chosen) -> None:
        self.chosen.append(event.row)


def drawn(view: RecordsView) -> list[str]:
    return [strip.text for strip in view.render_lines(view.size.region)]


def test_lines_are_padded_columns_as_wide_as_their_widest_cell() -> None:
    table = TableLines.build(COLUMNS, [("a", "bb"), ("ccc", "d")])
    assert table.widths == (3, 4)
    assert table.header == " id   name "
    assert table.lines == (" a    bb   ", " ccc  d    ")
    assert table.width == len(table.header) == 11
    assert table.cells == (("a", "bb"), ("ccc", "d"))
    assert table.narrow


def test_columns_are_at_least_the_widths_asked_for() -> None:
    table = TableLines.build(COLUMNS, [("a", "b")], min_widths=(5, 1))
    assert table.widths == (5, 4)
    assert table.lines == (" a      b    ",)


def test_control_characters_never_reach_the_screen() -> None:
    table = TableLines.build(COLUMNS, [("x\x1b[2Jy", "a\nb\tc\x9b")])
    assert "\x1b" not in table.lines[0] and "\n" not in table.lines[0]
    assert table.cells[0] == ("x\ufffd[2Jy", "a\ufffdb\ufffdc\ufffd")


def test_wide_characters_count_as_two_cells() -> None:
    table = TableLines.build(COLUMNS, [("录像", "x")])
    assert table.widths == (4, 4)
    assert not table.narrow


async def test_a_page_draws_only_the_rows_in_view() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        view.show(TableLines.build(COLUMNS, rows(50)))
        await pilot.pause()
        lines = drawn(view)
        assert lines[0].startswith(" id   name     ")
        assert lines[1].startswith(" r0   name 0   ")
        assert len(lines) == view.size.height
        assert view.row_count == 50 and view.cursor_row == 0


async def test_cursor_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        view.show(TableLines.build(COLUMNS, rows(50)))
        view.focus()
        await pilot.press("down", "down")
        assert view.cursor_row == 2 and view.scroll_y == 0
        await pilot.press("up")
        assert view.cursor_row == 1
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert view.cursor_row == 49
        # The last row is the bottom line on screen.
        assert drawn(view)[-1].startswith(" r49 ")
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert view.cursor_row == 0 and view.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.cursor_row == view.visible_rows
        assert f" r{view.cursor_row} " in "\n".join(drawn(view))
        await pilot.press("pageup")
        await pilot.pause()
        assert view.cursor_row == 0
        await pilot.press("up")  # already at the top
        assert view.cursor_row == 0


async def test_left_right_home_end_scroll_sideways() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        view.show(TableLines.build(COLUMNS, [("r", "x" * 60)]))
        view.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_x == view.max_scroll_x > 0
        assert drawn(view)[1].rstrip().endswith("x")
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_x == 0
        assert drawn(view)[1].startswith(" r  ")
        await pilot.press("right", "right", "right")
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_x == 3
        await pilot.press("left")
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_x == 2
        assert drawn(view)[1].startswith("   xxx")


async def test_a_new_page_starts_at_its_top_left() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        view.show(TableLines.build(COLUMNS, [(f"r{i}", "x" * 60) for i in range(50)]))
        view.focus()
        await pilot.press("ctrl+end", "end")
        await pilot.pause()
        assert view.scroll_y > 0 and view.scroll_x > 0
        view.show(TableLines.build(COLUMNS, rows(3)))
        await pilot.pause()
        assert (view.cursor_row, view.scroll_x, view.scroll_y) == (0, 0, 0)
        assert drawn(view)[4].strip() == ""  # below the last row: blank


async def test_a_click_moves_the_cursor_and_a_second_one_chooses_the_row() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        view.show(TableLines.build(COLUMNS, rows(5)))
        await pilot.pause()
        await pilot.click(RecordsView, offset=Offset(2, 3))  # the third row
        assert view.cursor_row == 2 and app.chosen == []
        await pilot.click(RecordsView, offset=Offset(2, 3))
        await pilot.pause()
        assert app.chosen == [2]
        await pilot.click(RecordsView, offset=Offset(2, 0))  # the header chooses nothing
        await pilot.click(RecordsView, offset=Offset(2, 9))  # nor does the space below
        await pilot.pause()
        assert view.cursor_row == 2 and app.chosen == [2]


async def test_lines_with_characters_beyond_ascii_draw_the_same_text() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(RecordsView)
        table = TableLines.build(COLUMNS, [("460ca80be464…", "—"), ("录像", "ü")])
        view.show(table)
        await pilot.pause()
        lines = drawn(view)
        assert lines[1].startswith(" 460ca80be464…  —    ")
        assert lines[2].startswith(" 录像           ü    ")
        strips = view.render_lines(view.size.region)
        assert all(strip.cell_length == view.size.width for strip in strips)
