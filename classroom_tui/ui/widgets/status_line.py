"""The one-line status bar: who, where, whether the data is fresh, and how it is going.

The app changes `StatusModel` fields and calls `refresh()` (or `refresh_if_changed()` for
routine updates such as an empty poll); Textual coalesces refreshes, so a flood of batches costs
one repaint per frame. A once-a-second timer repaints only when the text would change: the age
moves in 5-second steps, so a console polling a quiet service every 2 s does not repaint."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

EVENT_RATE_WINDOW = 60.0


@dataclass
class StatusModel:
    profile: str = ""
    app_id: str = ""
    state: str = "connecting"  # live / retrying / offline / auth failed / connecting
    failures: int = 0
    retry_at: float | None = None
    last_success: float | None = None
    latency: float | None = None
    errors: int = 0
    last_error: str = ""
    paused: bool = False
    new_while_paused: int = 0
    filter_text: str = ""
    gaps: int = 0
    journal_off: str = ""  # why events are not being journaled; "" while they are
    other_writer: bool = False
    token_text: Callable[[], str] | None = field(default=None, repr=False)
    _arrivals: deque[tuple[float, int]] = field(default_factory=deque)

    def record_batch(self, now: float, count: int, latency: float) -> None:
        self.state, self.failures, self.retry_at = "live", 0, None
        self.last_success, self.latency = now, latency
        if count:
            self._arrivals.append((now, count))
        self._forget_before(now - EVENT_RATE_WINDOW)

    def record_failure(self, now: float, failures: int, retry_in: float, error: str) -> None:
        self.state = "retrying" if self.last_success is not None or failures < 3 else "offline"
        self.failures, self.retry_at = failures, now + retry_in
        self.errors += 1
        self.last_error = error

    def record_auth_failure(self, error: str) -> None:
        self.state = "auth failed"
        self.errors += 1
        self.last_error = error
        self.retry_at = None

    def events_per_minute(self, now: float) -> int:
        self._forget_before(now - EVENT_RATE_WINDOW)
        return sum(count for _, count in self._arrivals)

    def _forget_before(self, cutoff: float) -> None:
        while self._arrivals and self._arrivals[0][0] < cutoff:
            self._arrivals.popleft()


AGE_STEP = 5


def age_text(seconds: float) -> str:
    if seconds < AGE_STEP:
        return f"<{AGE_STEP}s ago"
    if seconds < 60:
        return f"{int(seconds) // AGE_STEP * AGE_STEP}s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)}m ago"
    return f"{int(seconds // 3600)}h ago"


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; }"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-line--profile",
        "status-line--live",
        "status-line--retrying",
        "status-line--offline",
        "status-line--auth-failed",
        "status-line--connecting",
        "status-line--not-connected",
        "status-line--paused",
        "status-line--error",
        "status-line--warning",
    }

    def __init__(
        self,
        model: StatusModel,
        *,
        clock: Callable[[], float] = time.monotonic,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.clock = clock
        self._shown: str | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_if_changed)

    def refresh_if_changed(self) -> None:
        """Repaint only if the line would read differently (building the text is far cheaper
        than a repaint, and an idle console should not repaint every second)."""
        if self._shown is None or self._text().plain != self._shown:
            self.refresh()

    def render(self) -> Text:
        text = self._text()
        self._shown = text.plain
        return text

    def _text(self) -> Text:
        m = self.model
        now = self.clock()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(
            f" {m.profile or '-'} ", style=self.get_component_rich_style("status-line--profile")
        )
        app_id = m.app_id or "-"
        if self.size.width and self.size.width < 110 and len(app_id) > 12:
            app_id = app_id[:8] + "…"
        text.append(f"│ {app_id} │ ")
        text.append_text(self._state_text(m, now))
        if m.paused:
            text.append(" │ ")
            text.append(
                f"PAUSED · {m.new_while_paused} new",
                style=self.get_component_rich_style("status-line--paused"),
            )
        if m.last_success is not None:
            text.append(f" │ {age_text(max(0.0, now - m.last_success))}")
        if m.latency is not None:
            text.append(f" │ {m.latency * 1000:.0f} ms")
        text.append(f" │ {m.events_per_minute(now)}/min")
        text.append(f" │ errors {m.errors}")
        warning = self.get_component_rich_style("status-line--warning")
        if m.gaps:
            text.append(" │ ")
            text.append(f"gaps {m.gaps}", style=warning)
        if m.token_text is not None:
            token = m.token_text()
            text.append(" │ ")
            text.append(token, style=warning if token == "token expired" else "")
        if m.journal_off:
            text.append(" │ ")
            text.append(f"journal off: {shorten(m.journal_off)}", style=warning)
        if m.other_writer:
            text.append(" │ ")
            text.append("another console polls this App ID", style=warning)
        if m.filter_text:
            text.append(f" │ filter: {m.filter_text}")
        if m.last_error and m.state != "live":
            text.append(
                f" │ {m.last_error}", style=self.get_component_rich_style("status-line--error")
            )
        return text

    def _state_text(self, m: StatusModel, now: float) -> Text:
        nxt = ""
        if m.retry_at is not None:
            nxt = f" (next in {max(0.0, m.retry_at - now):.0f}s)"
        if m.state == "live":
            label = "● live"
        elif m.state == "retrying":
            label = f"◌ retrying {m.failures}{nxt}"
        elif m.state == "offline":
            label = f"○ offline{nxt}"
        elif m.state == "auth failed":
            label = "✕ auth failed"
        else:
            label = f"… {m.state}"
        key = m.state.replace(" ", "-")
        return Text(label, style=self.get_component_rich_style(f"status-line--{key}"))
