"""The console: one screen with the event log (#log), the room controller (#controller) and the
recordings browser (#recordings), a status line on top and key hints at the bottom.

Contract with the panes (and with whoever hosts them):
- The app exposes `client: ClassroomClient | None`, `settings: ConnectionSettings | None`,
  `profile_name: str` and `journal` (the open `Journal`, None while it is off).
- The journal (app_journal.py, journal_service.py): the poll worker opens the App ID's journal
  on the journal thread, posts `JournalOpened` (history first), then hands every batch to
  `EventCollector.accept` on that thread and waits for the commit before it is shown and
  before the next poll. A journal that fails is dropped with a warning; polling goes on.
- Token: with a minting `TokenSource` (certificate profiles) the client asks it for the token
  on every request, so it is renewed before expiry; a 401 renews once and retries.
- Panes run their own API calls in their own worker groups ("actions", "records"); polling runs
  alone in the "poll" group, so a slow PUT never stalls the live log.
- Every fetched batch goes to `RoomController.observe_events(events)`.
- Every Binding has an id ("log.pause", "controller.start_class", ...): config.toml's [keymap]
  table (binding id -> keys) is applied with `App.set_keymap`.
- A 401 stops the poller and pushes `LoginScreen(reason=...)`; when it dismisses with new
  settings the client is rebuilt and polling resumes.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import QueryError
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from ..api import ClassroomError, ConnectionSettings, Event
from ..auth.token_source import TokenSource
from ..events import EventDecoder, Gap, Journal
from .app_journal import JournalFeatures
from .app_panes import PaneNavigation
from .journal_service import DEFAULT_HISTORY_LINES, DEFAULT_RETENTION_DAYS, JournalService
from .keymap import unknown_keymap_ids
from .messages import (
    AuthenticationRejected,
    BatchesWaiting,
    EventsFetched,
    JournalOpened,
    PollFailed,
)
from .poll_sink import AppSink, renewing_fetch
from .poller import Backoff, PollLoop, clamp_interval
from .stylesheets import stylesheet_dir, stylesheet_paths
from .widgets.event_log import EventLog, LogEntry
from .widgets.event_log_model import DEFAULT_MAX_LINES
from .widgets.status_line import StatusLine, StatusModel

if TYPE_CHECKING:
    from ..api import ClassroomClient
    from .launch import LaunchPlan

__all__ = ["ClassroomApp", "stylesheet_dir", "stylesheet_paths"]

# Events shown per turn of the message loop; more wait for the next turn, after any key.
EVENTS_PER_TURN = 500
# Batches are shown at most this often (seconds): in a flood the log repaints ~15 times a
# second instead of once per batch, which halves the console's CPU and leaves keys a turn.
SHOW_INTERVAL = 1 / 15
# Seconds to wait for a key typed during start-up to be handled before the next is replayed.
KEY_REPLAY_TIMEOUT = 2.0
# Seconds after start by which the panes are mounted even if the log was never drawn.
PANES_AT_THE_LATEST = 0.5
PANE_TITLES = {"controller": "Room controller", "recordings": "Recordings"}
# Bindings run as soon as their key arrives, before the keys typed right behind them: those
# belong to the prompt they open, or to the pane they focus (`3` and a room id in one burst).
IMMEDIATE_BINDING_IDS = frozenset(
    {
        "log.filter",
        "log.search_journal",
        "app.focus_log",
        "app.focus_controller",
        "app.focus_recordings",
    }
)


class ClassroomApp(JournalFeatures, PaneNavigation):
    TITLE = "classroom-tui"
    CSS_PATH: ClassVar[Any] = stylesheet_paths()
    # The status line stays on top of a maximised pane: its state and errors matter most.
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str] = "Footer, StatusLine"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("p", "toggle_pause", "Pause", id="log.pause"),
        Binding("slash", "filter", "Filter", id="log.filter"),
        Binding("f", "search_journal", "Search journal", id="log.search_journal"),
        Binding("ctrl+e", "export", "Export", id="log.export"),
        Binding("a", "audit", "Audit", id="app.audit"),
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
        client_factory: Callable[..., ClassroomClient] | None = None,
        start_polling: bool = True,
        backoff: Backoff | None = None,
        journal: bool = True,
        journal_dir: Path | None = None,
        history_lines: int = DEFAULT_HISTORY_LINES,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        retention_max_mb: int = 0,
        token_source: TokenSource | None = None,
        prepare: Callable[[], LaunchPlan] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.profile_name = profile_name
        self.client: ClassroomClient | None = None
        self.journal_service = JournalService(journal_dir, enabled=journal)
        self.history_lines = history_lines
        self.retention_days = retention_days
        self.retention_max_mb = retention_max_mb
        self.token_source = token_source
        self.prepare = prepare
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
        self._batches: deque[EventsFetched] = deque()
        self._batches_posted = False
        self._last_shown = 0.0
        self._unobserved: list[Event] = []
        # Set once the controller and the recordings browser are mounted (after frame one).
        self.panes_mounted = asyncio.Event()
        self._panes_mounting = False
        self._early_keys: list[events.Key] = []
        self._replaying: events.Key | None = None

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(self.status, clock=self.monotonic, id="status")
        with Vertical(id="panes"):
            yield EventLog(max_lines=self.max_log_lines, now=self.now, id="log")
            with Horizontal(id="bottom"):
                for name, title in PANE_TITLES.items():
                    frame = Static(id=f"{name}-pending", classes="pane-placeholder")
                    frame.border_title = title
                    yield frame
        yield Footer()

    @on(EventLog.Painted)
    def _log_painted(self) -> None:
        self.call_after_refresh(self._mount_panes)

    async def _mount_panes(self) -> None:
        """The controller and the recordings browser replace their frames after the first
        frame: they bring most of the widgets (inputs, buttons, a table) and their CSS, and
        the status line and the log are what matters first."""
        if self._panes_mounting:
            return
        self._panes_mounting = True
        from .widgets.recordings import RecordingsBrowser
        from .widgets.room_controller import RoomController

        bottom = self.query_one("#bottom")
        panes: list[Widget] = [RoomController(id="controller"), RecordingsBrowser(id="recordings")]
        try:
            await bottom.mount_all(panes, before=0)
            await bottom.query(".pane-placeholder").remove()
        finally:
            self.panes_mounted.set()
            if self._early_keys:
                self.run_worker(self._replay_early_keys(), group="keys", exit_on_error=False)
        # Everything loaded so far (modules, widgets, styles) lives as long as the console:
        # leave it out of every future garbage collection, which a flood triggers every few
        # seconds and which otherwise walked these ~100,000 objects each time.
        gc.freeze()
        if self._unobserved:
            pending, self._unobserved = self._unobserved, []
            self._observe(pending)

    def _hold_key(self, key: events.Key) -> bool:
        """Keys typed before the panes are mounted (the first half second), and any typed
        while those are replayed, wait their turn: they are replayed in order once the panes
        are there, so `3` and a room id typed at once land in the room field."""
        if key is self._replaying:
            return False
        if self.panes_mounted.is_set() and not self._early_keys:
            return False
        self._early_keys.append(key)
        return True

    async def _replay_early_keys(self) -> None:
        """One key at a time, each after the last has been handled: `3` must have moved the
        focus to the recordings field before the room id's letters arrive."""
        loop = asyncio.get_running_loop()
        while self._early_keys:
            key = self._early_keys[0]
            self._replaying = events.Key(key.key, key.character)
            self.post_message(self._replaying)
            handled: asyncio.Future[None] = loop.create_future()
            if not self.call_after_refresh(handled.set_result, None):
                return  # closing
            await asyncio.wait_for(handled, KEY_REPLAY_TIMEOUT)
            self._early_keys.pop(0)
        self._replaying = None

    @property
    def journal(self) -> Journal | None:
        return self.journal_service.journal

    def on_mount(self) -> None:
        self._sync_log_status()
        # Normally the log's first paint mounts the panes; this is for a first frame that
        # never shows the log (the login screen on top).
        self.set_timer(PANES_AT_THE_LATEST, self._mount_panes)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
            unknown = unknown_keymap_ids(self, self.user_keymap)
            if unknown:
                self.notify(
                    f"config.toml [keymap]: no binding has the id {', '.join(unknown)}",
                    severity="warning",
                    markup=False,
                )
        self.log_pane.focus()
        self.start_journal_upkeep()
        if self.prepare is not None:
            self.call_after_refresh(self._prepare_connection)
        elif self.settings is None:
            self.status.state = "not connected"
            self.open_login(self.login_reason)
        else:
            self.connect(self.settings)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        # Pending commits finish first: a batch fetched is a batch kept.
        await asyncio.to_thread(self.journal_service.shutdown)
        # What was frozen at start may be garbage now (another app in the same process).
        gc.unfreeze()

    # -- keys ------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and (self._hold_key(event) or await self._run_binding_now(event.key))
        ):
            return
        await super().on_event(event)

    async def _run_binding_now(self, key: str) -> bool:
        """Run the filter / journal-search / focus binding as soon as its key arrives. Handed
        to the focused log like any other key, it would run only after the log had taken the
        keys typed right behind it in the same burst (`/kind:chat` or `3room 7⏎` typed fast)."""
        if len(self.screen_stack) != 1 or isinstance(self.focused, Input):
            return False
        for namespace, bindings in self.screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority:
                    continue
                if binding.id not in IMMEDIATE_BINDING_IDS:
                    return False  # the key means something else here: leave it to Textual
                return await self.run_action(binding.action, namespace)
        return False

    # -- connection and polling ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def _prepare_connection(self) -> None:
        """Work that would delay the first frame (the demo's sandbox), done after it."""
        assert self.prepare is not None
        try:
            plan = self.prepare()
        except Exception as error:  # CommandError and the like: one line, not a traceback
            self.call_from_thread(self._not_prepared, str(error) or type(error).__name__)
            return
        self.call_from_thread(self._prepared, plan)

    def _prepared(self, plan: LaunchPlan) -> None:
        if plan.settings is None:
            self._not_prepared(plan.login_reason or "no connection")
            return
        self.journal_service.data_dir = plan.journal_dir
        self.token_source = plan.token_source
        self.poll_interval = clamp_interval(plan.poll_interval)
        self.connect(plan.settings)

    def _not_prepared(self, reason: str) -> None:
        self.status.state = "not connected"
        self.status.last_error = reason
        self.status_line.refresh()
        self.notify(reason, title="Not connected", severity="error", timeout=30, markup=False)

    def _client_factory(self) -> Callable[..., ClassroomClient]:
        if self.client_factory is not None:
            return self.client_factory
        # Here, not at the top: the client brings httpx, which would delay the first frame.
        from ..api import ClassroomClient

        return ClassroomClient

    def connect(self, settings: ConnectionSettings) -> None:
        old = self.client
        self.settings = settings
        source = self.token_source or TokenSource.static(settings.token)
        self.client = self._client_factory()(settings, token_provider=source.current)
        self.status.token_text = source.describe_expiry if source.expires_at else None
        self.status.app_id = settings.app_id
        self.status.state = "connecting"
        self.status_line.refresh()
        if old is not None:
            self.run_worker(old.aclose(), group="close", exit_on_error=False)
        if self.start_polling:
            self.poll_events()

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def poll_events(self) -> None:
        client, settings = self.client, self.settings
        if client is None or settings is None:
            return
        service = self.journal_service
        opened = await service.run(lambda: service.open(settings.app_id, self.history_lines))
        self.post_message(JournalOpened(opened.history, opened.off_reason, opened.other_writer))
        loop = PollLoop(
            renewing_fetch(client, self.token_source),
            AppSink(self),
            interval=self.poll_interval,
            backoff=self.backoff,
            clock=self.monotonic,
        )
        await loop.run()

    def stop_polling(self) -> None:
        self.workers.cancel_group(self, "poll")

    def deliver_batch(self, batch: EventsFetched) -> None:
        """A batch, journaled, to show. Batches queue here behind a single message: in a flood
        a key press waits for one turn of at most EVENTS_PER_TURN events, not for every batch
        posted before it, and the log, the controller and the status line update once a turn,
        at most every SHOW_INTERVAL."""
        self._batches.append(batch)
        if self._batches_posted:
            return
        self._batches_posted = True
        wait = self._last_shown + SHOW_INTERVAL - time.monotonic()
        if wait > 0:
            self.set_timer(wait, self._post_batches_waiting)
        else:
            self._post_batches_waiting()

    def _post_batches_waiting(self) -> None:
        self.post_message(BatchesWaiting())

    @on(BatchesWaiting)
    def _batches_waiting(self) -> None:
        self._batches_posted = False
        self._last_shown = time.monotonic()
        if not self.console_ready:
            self._batches.clear()
            return
        entries: list[LogEntry] = []
        events: list[Event] = []
        journal_errors: list[str] = []
        now = self.monotonic()
        while self._batches and len(entries) < EVENTS_PER_TURN:
            batch = self._batches.popleft()
            for item in batch.events if batch.shown is None else batch.shown:
                if isinstance(item, Gap):
                    entries.append(item)
                    self.status.gaps += 1
                else:
                    entries.append(self.decoder.decode(item))
                    events.append(item)
            if batch.journal_error:
                journal_errors.append(batch.journal_error)
            self.status.record_batch(now, len(batch.events), batch.latency)
        if entries:
            self.log_pane.add_entries(entries)
        if events:
            self._observe(events)
        for error in journal_errors:
            self.journal_off(error)
        if entries:
            self._sync_log_status()
        else:
            self.status_line.refresh_if_changed()
        if self._batches:
            self._batches_posted = True
            self._post_batches_waiting()

    def _observe(self, events: Sequence[Event]) -> None:
        from .widgets.room_controller import RoomController

        if not self.panes_mounted.is_set():
            # Being mounted (the first frame is barely out): keep them for it.
            self._unobserved.extend(events)
            return
        try:
            controller = self._widget("#controller", RoomController)
        except QueryError:
            return
        controller.observe_events(events)

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        if not self.console_ready:  # closing: a late failure has nowhere to be shown
            return
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
        self.notify(f"{worker.group or worker.name}: {text}", severity="error", markup=False)
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
                markup=False,
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
        # A token typed at login replaces whatever the certificate would have minted.
        self.token_source = None
        self.status.errors = 0
        self.status.last_error = ""
        self.connect(settings)
