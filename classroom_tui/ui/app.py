"""The console: one screen with the event log (#log), the room controller (#controller) and the
recordings browser (#recordings), a status line on top and key hints at the bottom.

Contract with the panes (and with whoever hosts them):
- The app exposes `client: ClassroomClient | None`, `settings: ConnectionSettings | None`,
  `profile_name: str` and `journal` (None until the journal lands).
- Panes run their own API calls in their own worker groups ("actions", "records"); polling runs
  alone in the "poll" group, so a slow PUT never stalls the live log.
- Every fetched batch goes to `RoomController.observe_events(events)`.
- Every Binding has an id ("log.pause", "controller.start_class", ...): config.toml's [keymap]
  table (binding id -> keys) is applied with `App.set_keymap`.
- A 401 stops the poller and pushes `LoginScreen(reason=...)`; when it dismisses with new
  settings the client is rebuilt and polling resumes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from ..api import ClassroomClient, ClassroomError, ConnectionSettings, Event
from ..events import EventDecoder
from .keymap import binding_rows, unknown_keymap_ids
from .messages import AuthenticationRejected, EventsFetched, PollFailed
from .poller import Backoff, PollLoop, PollSink, clamp_interval
from .screens.event_detail import EventDetailScreen
from .screens.filter import FilterScreen
from .screens.help import HelpScreen
from .widgets.event_log import EventLog
from .widgets.event_log_model import DEFAULT_MAX_LINES
from .widgets.status_line import StatusLine, StatusModel

STYLESHEETS = ("app.tcss", "log.tcss", "controller.tcss", "recordings.tcss", "login.tcss")
PANES = ("log", "controller", "recordings")


def stylesheet_dir() -> Path:
    """The installed `classroom_tui.styles` package, or the repo's styles/ folder (editable
    installs do not always map the package-dir entry)."""
    try:
        # A folder without __init__.py: a namespace package, so files() may be a multiplexed
        # path; joinpath() resolves to the real file on disk.
        candidate = resources.files("classroom_tui.styles").joinpath("app.tcss")
        if candidate.is_file():
            return Path(str(candidate)).parent
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return Path(__file__).resolve().parents[2] / "styles"


def stylesheet_paths() -> list[str | Path]:
    folder = stylesheet_dir()
    return [folder / name for name in STYLESHEETS if (folder / name).is_file()]


class _AppSink(PollSink):
    def __init__(self, app: ClassroomApp) -> None:
        self.app = app

    def batch(self, events: Iterable[Event], latency: float) -> None:
        self.app.post_message(EventsFetched(list(events), latency))

    def failed(self, error: ClassroomError, failures: int, retry_in: float) -> None:
        self.app.post_message(PollFailed(error, failures, retry_in))

    def auth_failed(self, error: ClassroomError) -> None:
        self.app.post_message(AuthenticationRejected(error.describe()))


class ClassroomApp(App[None]):
    TITLE = "classroom-tui"
    CSS_PATH: ClassVar[Any] = stylesheet_paths()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("p", "toggle_pause", "Pause", id="log.pause"),
        Binding("slash", "filter", "Filter", id="log.filter"),
        # alt+ variants work while a room field has focus (it swallows plain letters/digits).
        Binding("z,alt+z", "toggle_maximize", "Max/restore", id="app.maximize"),
        Binding("1,alt+1", "focus_pane('log')", "Log", id="app.focus_log", show=False),
        Binding(
            "2,alt+2",
            "focus_pane('controller')",
            "Controller",
            id="app.focus_controller",
            show=False,
        ),
        Binding(
            "3,alt+3",
            "focus_pane('recordings')",
            "Recordings",
            id="app.focus_recordings",
            show=False,
        ),
        Binding("escape", "focus_pane('log')", "Back to log", id="app.back_to_log", show=False),
    ]

    def __init__(
        self,
        settings: ConnectionSettings | None,
        *,
        profile_name: str = "",
        keymap: Mapping[str, str] | None = None,
        max_log_lines: int = DEFAULT_MAX_LINES,
        poll_interval: float | None = None,
        login_reason: str | None = None,
        now: Callable[[], datetime] = datetime.now,
        monotonic: Callable[[], float] = time.monotonic,
        client_factory: Callable[[ConnectionSettings], ClassroomClient] = ClassroomClient,
        start_polling: bool = True,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.profile_name = profile_name
        self.client: ClassroomClient | None = None
        self.journal: object | None = None
        self.decoder = EventDecoder()
        self.max_log_lines = max_log_lines
        self.poll_interval = clamp_interval(poll_interval)
        self.login_reason = login_reason
        self.now = now
        self.monotonic = monotonic
        self.client_factory = client_factory
        self.start_polling = start_polling
        self.backoff = backoff
        self.user_keymap = dict(keymap or {})
        self.status = StatusModel(
            profile=profile_name, app_id=settings.app_id if settings else "", state="connecting"
        )

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(self.status, clock=self.monotonic, id="status")
        with Vertical(id="panes"):
            yield EventLog(max_lines=self.max_log_lines, now=self.now, id="log")
            with Horizontal(id="bottom"):
                yield self._pane("controller")
                yield self._pane("recordings")
        yield Footer()

    def _pane(self, name: str) -> Widget:
        try:
            if name == "controller":
                from .widgets.room_controller import RoomController

                return RoomController(id="controller")
            from .widgets.recordings import RecordingsBrowser

            return RecordingsBrowser(id="recordings")
        except ImportError:
            return Static(f"{name} (coming soon)", id=name, classes="pane-placeholder")

    @property
    def log_pane(self) -> EventLog:
        return self.query_one("#log", EventLog)

    @property
    def status_line(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    def on_mount(self) -> None:
        self.log_pane.border_title = "Events"
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
            unknown = unknown_keymap_ids(self, self.user_keymap)
            if unknown:
                self.notify(
                    f"config.toml [keymap]: no binding has the id {', '.join(unknown)}",
                    severity="warning",
                )
        self.log_pane.focus()
        if self.settings is None:
            self.status.state = "not connected"
            self.open_login(self.login_reason)
        else:
            self.connect(self.settings)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    # -- connection and polling ------------------------------------------------------------

    def connect(self, settings: ConnectionSettings) -> None:
        old = self.client
        self.settings = settings
        self.client = self.client_factory(settings)
        self.status.app_id = settings.app_id
        self.status.state = "connecting"
        self.status_line.refresh()
        if old is not None:
            self.run_worker(old.aclose(), group="close", exit_on_error=False)
        if self.start_polling:
            self.poll_events()

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def poll_events(self) -> None:
        client = self.client
        if client is None:
            return
        loop = PollLoop(
            client.poll_events,
            _AppSink(self),
            interval=self.poll_interval,
            backoff=self.backoff,
            clock=self.monotonic,
        )
        await loop.run()

    def stop_polling(self) -> None:
        self.workers.cancel_group(self, "poll")

    @on(EventsFetched)
    def _events_fetched(self, message: EventsFetched) -> None:
        events = message.events
        log = self.log_pane
        if events:
            log.add_events([self.decoder.decode(event) for event in events])
            self._observe(events)
        self.status.record_batch(self.monotonic(), len(events), message.latency)
        self._sync_log_status()

    def _observe(self, events: Sequence[Event]) -> None:
        try:
            from .widgets.room_controller import RoomController
        except ImportError:
            return
        for controller in self.query(RoomController):
            controller.observe_events(events)

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        now = self.monotonic()
        self.status.record_failure(
            now, message.failures, message.retry_in, message.error.describe()
        )
        self.status_line.refresh()

    @on(AuthenticationRejected)
    def _auth_rejected(self, message: AuthenticationRejected) -> None:
        self.stop_polling()
        self.status.record_auth_failure(message.reason)
        self.status_line.refresh()
        self.open_login(message.reason)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a worker that died of an unexpected error is reported."""
        worker = event.worker
        if event.state is not WorkerState.ERROR:
            return
        error = worker.error
        text = error.describe() if isinstance(error, ClassroomError) else str(error)
        text = text or type(error).__name__
        self.status.errors += 1
        self.status.last_error = text
        self.status_line.refresh()
        self.notify(f"{worker.group or worker.name}: {text}", severity="error")
        if worker.group == "poll" and self.client is not None and self.start_polling:
            # A bug, not the network: try again later rather than stop the log for good.
            self.set_timer(5.0, self.poll_events)

    # -- login -----------------------------------------------------------------------------

    def open_login(self, reason: str | None) -> None:
        try:
            from .screens.login import LoginScreen  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            self.notify(
                reason or "no connection given: use --profile, flags or CLASSROOM_TUI_* variables",
                title="Not connected",
                severity="error",
                timeout=30,
            )
            return
        screen = LoginScreen(reason=reason, profile_name=self.profile_name or None)

        def logged_in(settings: ConnectionSettings | None) -> None:
            self._logged_in(settings, getattr(screen, "profile_name", None))

        self.push_screen(screen, callback=logged_in)

    def _logged_in(self, settings: ConnectionSettings | None, profile: object) -> None:
        if settings is None:
            if self.client is None:
                self.status.state = "not connected"
                self.status_line.refresh()
            return
        if isinstance(profile, str) and profile:
            self.profile_name = self.status.profile = profile
        self.status.errors = 0
        self.status.last_error = ""
        self.connect(settings)

    # -- actions ---------------------------------------------------------------------------

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
        log.border_title = title
        log.set_class(log.paused, "-paused")
        self.status_line.refresh()

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
        pane = self.screen.query_one(f"#{name}")
        if self.screen.maximized is not None and self.screen.maximized is not pane:
            self.screen.maximized = pane
        if pane.focusable:
            pane.focus()
            return
        for child in pane.query("*"):
            if child.focusable:
                child.focus()
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
