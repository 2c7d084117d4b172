"""The recordings browser pane: one room's recordings, a page at a time. Once a page is on
screen the next one is loaded and drawn (laid out as lines) in the background, so paging
forward is a swap of prepared lines, as instant as paging back."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from ...api import ClassroomError, InvalidInput, Record, RecordPage
from ..screens.record_detail import RecordDetailScreen, copy_notice
from .recordings_pager import MISSING, RecordPager, format_duration, format_time
from .records_view import RecordsView, TableLines
from .room_field import RoomField, console_client

COLUMNS = ("record id", "start", "end", "duration", "type", "status", "url")
RECORD_ID_SHOWN = 12
TYPE_NAMES = {1: "single", 2: "composite"}
STATUS_NAMES = {1: "recording", 2: "finished"}


def named(value: int | None, names: dict[int, str]) -> str:
    if value is None:
        return MISSING
    return names.get(value, str(value))


def record_row(record: Record) -> tuple[str, ...]:
    record_id = record.record_id
    if len(record_id) > RECORD_ID_SHOWN:
        record_id = record_id[:RECORD_ID_SHOWN] + "…"
    return (
        record_id,
        format_time(record.start_time),
        format_time(record.end_time, since=record.start_time),
        format_duration(record.duration_ms),
        named(record.type, TYPE_NAMES),
        named(record.status, STATUS_NAMES),
        record.url or MISSING,
    )


def page_lines(page: RecordPage, min_widths: tuple[int, ...] = ()) -> TableLines:
    return TableLines.build(COLUMNS, (record_row(r) for r in page.records), min_widths)


# Pages drawn ready around the current one (the one ahead is drawn while it is prefetched).
KEEP_DRAWN = 2


class RecordingsBrowser(Widget, can_focus=False):
    """Pane `#recordings`. Type a room, Enter loads page 1; ] and [ page; Enter shows a record."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket,n", "next_page", "Next page", id="recordings.next_page"),
        Binding("left_square_bracket,b", "prev_page", "Prev page", id="recordings.prev_page"),
        Binding("y", "copy_url", "Copy URL", id="recordings.copy_url"),
        Binding("enter", "details", "Details", id="recordings.details"),
    ]

    def __init__(self, *, id: str | None = "recordings") -> None:
        super().__init__(id=id)
        self.pager: RecordPager | None = None
        self.room: str | None = None
        # Pages of the current pager drawn ready to show, by their index in the pager.
        self.drawn: dict[int, TableLines] = {}
        # Columns only widen within a room, so the table keeps its size (and the screen its
        # layout) from page to page.
        self._widths: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield RoomField(placeholder="room id (Enter: load its recordings)")
        yield Static("no room loaded", id="recordings-position", markup=False)
        yield RecordsView(COLUMNS, id="recordings-table")
        yield Static("", id="recordings-error", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Recordings"

    @property
    def table(self) -> RecordsView:
        return self.query_one("#recordings-table", RecordsView)

    # -- loading ---------------------------------------------------------------------------

    @on(Input.Submitted)
    def _room_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one(RoomField)
        if field.show_problem() is None:
            self.load_room(field.room)

    def load_room(self, room: str) -> None:
        client = console_client(self)
        if client is None:
            self._show_error("not connected to the service")
            return
        self.room = room
        self.pager = RecordPager(lambda next_id: client.list_records(room, next_id))
        self.drawn = {}
        self._widths = ()
        table = self.table
        table.clear()
        # The table takes the focus now, while the first page is on its way: the key hints
        # change with the focus (a layout of the whole screen), which would otherwise land in
        # the moments after the page appears, when the reader pages on. Now, not later: a
        # table covered while loading cannot take the focus.
        self.app.set_focus(table)
        table.loading = True
        self._show_error(None)
        self.query_one("#recordings-position", Static).update(f"loading {room!r}…")
        self._load_first(self.pager)

    @work(group="records", exclusive=True, exit_on_error=False)
    async def _load_first(self, pager: RecordPager) -> None:
        try:
            await pager.first()
        except (ClassroomError, InvalidInput) as exc:
            if pager is self.pager:
                self.table.loading = False
                self._show_error(_describe(exc))
                self.query_one("#recordings-position", Static).update(f"room {self.room!r}")
                if self.table.has_focus:
                    self.query_one(RoomField).input.focus()  # to correct the room
            return
        if pager is self.pager:
            self._show_current(pager)

    @work(group="records", exit_on_error=False)
    async def _prefetch(self, pager: RecordPager) -> None:
        try:
            await pager.prefetch()
        except (ClassroomError, InvalidInput):
            # Paging forward asks again and shows the error where the reader is looking.
            return
        if pager is self.pager:
            self._draw_ahead(pager)

    @work(group="records", exit_on_error=False)
    async def _load_next(self, pager: RecordPager) -> None:
        self.table.loading = True
        try:
            page = await pager.next()
        except (ClassroomError, InvalidInput) as exc:
            if pager is self.pager:
                self.table.loading = False
                self._show_error(_describe(exc))
            return
        if pager is self.pager and page is not None:
            self._show_current(pager)

    def _drawn_page(self, index: int, page: RecordPage) -> TableLines:
        lines = self.drawn.get(index)
        if lines is None:
            lines = self.drawn[index] = page_lines(page, self._widths)
            self._widths = lines.widths
            for far in [i for i in self.drawn if abs(i - index) > KEEP_DRAWN]:
                del self.drawn[far]
        return lines

    def _show_current(self, pager: RecordPager) -> None:
        page = pager.current
        if page is None:
            return
        table = self.table
        table.loading = False
        table.show(self._drawn_page(pager.index, page))
        self._show_error(None)
        self._show_position()
        # The next page is asked for (and drawn) once this one is on screen, not before.
        self.call_after_refresh(self._get_next_ready, pager)

    def _get_next_ready(self, pager: RecordPager) -> None:
        if pager is not self.pager or not pager.has_next():
            return
        if pager.next_is_cached():
            self._draw_ahead(pager)
        else:
            self._prefetch(pager)

    def _draw_ahead(self, pager: RecordPager) -> None:
        page = pager.peek_next()
        if page is not None:
            self._drawn_page(pager.index + 1, page)

    def _show_position(self) -> None:
        if self.pager is None:
            return
        text = f"{self.room!r} · {self.pager.position().describe()}"
        # One line high whatever it says: no need to lay the screen out again.
        self.query_one("#recordings-position", Static).update(text, layout=False)

    def _show_error(self, message: str | None) -> None:
        error = self.query_one("#recordings-error", Static)
        if message is None and not error.has_class("-shown"):
            return
        error.set_class(message is not None, "-shown")
        error.update(message or "")

    # -- paging and records ----------------------------------------------------------------

    def action_next_page(self) -> None:
        pager = self.pager
        if pager is None or pager.current is None:
            return
        if not pager.has_next():
            self.notify("this is the last page", title="Recordings", timeout=2)
            return
        if pager.next_cached() is not None:
            self._show_current(pager)
        else:
            self._load_next(pager)

    def action_prev_page(self) -> None:
        pager = self.pager
        if pager is None or pager.current is None:
            return
        if pager.previous() is None:
            self.notify("this is the first page", title="Recordings", timeout=2)
            return
        self._show_current(pager)

    def selected_record(self) -> Record | None:
        pager = self.pager
        page = pager.current if pager is not None else None
        table = self.table
        if page is None or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(page.records) - 1)
        return page.records[row]

    @on(RecordsView.Chosen, "#recordings-table")
    def _row_chosen(self, event: RecordsView.Chosen) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.app.push_screen(RecordDetailScreen(record))

    def action_copy_url(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        if not record.url:
            self.notify(
                "this recording is still running: it has no URL yet",
                title="Recordings",
                severity="warning",
            )
            return
        self.app.copy_to_clipboard(record.url)
        self.notify(copy_notice(record.url), title="Recordings", markup=False)


def _describe(exc: ClassroomError | InvalidInput) -> str:
    return exc.describe() if isinstance(exc, ClassroomError) else str(exc)
