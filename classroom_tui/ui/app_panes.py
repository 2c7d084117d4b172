"""Moving around the console: focus a pane, maximise it, pause and filter the log, help, and
every binding in the command palette. Base classes of `ClassroomApp`, kept apart so app.py
stays about connections."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import App, SystemCommand
from textual.css.query import QueryError
from textual.screen import Screen
from textual.widget import Widget

from .keymap import binding_rows
from .screens.event_detail import EventDetailScreen
from .screens.filter import FilterScreen
from .screens.help import HelpScreen
from .widgets.event_log import EventLog
from .widgets.status_line import StatusLine, StatusModel

PANES = ("log", "controller", "recordings")
W = TypeVar("W", bound=Widget)


class ConsoleBase(App[None]):
    status: StatusModel  # set by ClassroomApp

    def __init__(self) -> None:
        super().__init__()
        self._found: dict[str, Widget] = {}

    def _widget(self, selector: str, kind: type[W]) -> W:
        """`query_one`, remembered: a flood asks for the log and the status line many times a
        second, and a DOM walk each time showed up in profiles."""
        found = self._found.get(selector)
        if isinstance(found, kind) and found.is_attached:
            return found
        widget = self.query_one(selector, kind)
        self._found[selector] = widget
        return widget

    @property
    def log_pane(self) -> EventLog:
        return self._widget("#log", EventLog)

    @property
    def status_line(self) -> StatusLine:
        return self._widget("#status", StatusLine)

    @property
    def console_ready(self) -> bool:
        """False while the console is closing: a late batch has nowhere to go (it is in the
        journal already)."""
        try:
            return self.log_pane.is_attached
        except QueryError:
            return False


class PaneNavigation(ConsoleBase):
    def _sync_log_status(self) -> None:
        log = self.log_pane
        self.status.paused = log.paused
        self.status.new_while_paused = log.buffer.new_while_paused
        self.status.filter_text = log.filter_text
        shown = len(log.buffer.view)
        title = f"Events · {shown}"
        if log.buffer.filter.active:
            title += f" of {len(log.buffer.rows)} (filter: {log.filter_text})"
        if log.paused:
            title += f" · PAUSED · {log.buffer.new_while_paused} new"
        # Text, not a str: a str title is read as markup and the filter is typed by the user.
        # Set only on change: a new title repaints the whole log, and empty polls change nothing.
        if str(log.border_title or "") != title:
            log.border_title = Text(title)
        log.set_class(log.paused, "-paused")
        self.status_line.refresh_if_changed()

    def action_toggle_pause(self) -> None:
        log = self.log_pane
        if log.paused:
            log.resume()
        else:
            log.pause()
        self._sync_log_status()

    def action_filter(self) -> None:
        def apply(text: str | None) -> None:
            if text is not None:
                self.log_pane.set_filter(text)
                self._sync_log_status()

        self.push_screen(FilterScreen(self.log_pane.filter_text), callback=apply)

    @on(EventLog.FilterCleared)
    def _filter_cleared(self) -> None:
        self._sync_log_status()

    @on(EventLog.RowChosen)
    def _row_chosen(self, message: EventLog.RowChosen) -> None:
        self.push_screen(EventDetailScreen(message.row))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(binding_rows(self)))

    def _pane_of(self, widget: Widget | None) -> Widget | None:
        while widget is not None:
            if widget.id in PANES:
                return widget
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def action_focus_pane(self, name: str) -> None:
        found = self.screen.query(f"#{name}")
        if not found:
            return  # the pane is being mounted: the first frame is barely out
        pane = found.first()
        if self.screen.maximized is not None and self.screen.maximized is not pane:
            self.screen.maximized = pane
        # set_focus, not focus(): focus() waits for the next turn, and the keys typed right
        # behind this one must already find the new focus.
        if pane.focusable:
            self.set_focus(pane)
            return
        for child in pane.query("*"):
            if child.focusable:
                self.set_focus(child)
                return

    def action_toggle_maximize(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
            return
        pane = self._pane_of(screen.focused)
        if pane is not None:
            screen.maximized = pane

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return
        for row in binding_rows(self):
            if row.binding_id.startswith(("app.quit",)):
                continue
            node, action = self._action_for(row.binding_id)
            if node is None or action is None:
                continue
            yield SystemCommand(
                row.description,
                f"{row.section} · keys: {row.keys} · {row.binding_id}",
                self._runner(action, node),
            )

    def _action_for(self, binding_id: str) -> tuple[Any, str | None]:
        nodes: list[Any] = [self, *self.screen_stack[0].walk_children(with_self=True)]
        for node in nodes:
            for _key, binding in node._bindings:
                if binding.id == binding_id:
                    return node, binding.action
        return None, None

    def _runner(self, action: str, node: Any) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(action, node)

        return run
