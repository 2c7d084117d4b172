"""The one-line status bar: who, where, whether the data is fresh, and how it is going.

The app changes `StatusModel` fields and calls `refresh()` (or `refresh_if_changed()` for
routine updates such as an empty poll); Textual coalesces refreshes, so a flood of batches costs
one repaint per frame. A once-a-second timer repaints only when the text would change: the age
moves in 5-second steps and the latency in steps too, so a console polling a quiet service every
2 s does not repaint."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Self

from rich.text import Text
from textual.geometry import Region
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


def latency_text(seconds: float) -> str:
    """The poll's round trip in steps, so that the line does not change (and repaint) with
    every millisecond of jitter: <10 ms, then 10-ms steps to 100 ms, 50-ms steps to 1 s."""
    ms = seconds * 1000
    if ms < 10:
        return "<10 ms"
    if ms < 100:
        return f"{int(ms) // 10 * 10} ms"
    if ms < 1000:
        return f"{int(ms) // 50 * 50} ms"
    return f"{seconds:.1f} s"


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Which items of the top row go first when it is too narrow: highest number first.
DROP_ORDER = {
    "latency": 6,
    "rate": 5,
    "app_id": 4,
    "other_writer": 3,
    "gaps": 3,
    "filter": 6,  # the log's title says it too
    "age": 2,
    "token": 2,
    "errors": 1,
    "journal": 1,
    "profile": 1,
}
SEPARATOR = " │ "


class StatusLine(Widget):
    """The top row says who, where and how it is going; while the connection is not live a
    second row says why (the last error, whole, wrapped if need be), so a narrow terminal never
    cuts the one thing a support engineer needs to read."""

    DEFAULT_CSS = "StatusLine { height: auto; max-height: 3; }"
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
        self._error_row_shown = False

    def on_mount(self) -> None:
        self._tick()

    def _tick(self) -> None:
        """Re-check the clock-driven parts (age, retry countdown, token expiry) when they can
        next change: every second while a countdown runs, otherwise when the age would reach
        its next 5-s step (each successful poll moves that further away)."""
        self.refresh_if_changed()
        m = self.model
        delay = 1.0
        if m.retry_at is None and m.last_success is not None:
            age = max(0.0, self.clock() - m.last_success)
            delay = min(float(AGE_STEP), max(0.5, AGE_STEP - age % AGE_STEP))
        self.set_timer(delay, self._tick)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        # The error row comes and goes: the line's height changes with it.
        model: StatusModel | None = getattr(self, "model", None)
        has_error = model is not None and self.error_text(model) is not None
        if has_error != getattr(self, "_error_row_shown", False):
            self._error_row_shown = has_error
            layout = True
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def refresh_if_changed(self) -> None:
        """Repaint only if the line would read differently. The check compares plain strings
        (no styles, no Text): it runs every second and after every poll."""
        if self._shown is None or self._signature() != self._shown:
            self.refresh()

    def _signature(self) -> str:
        width = self.size.width or 120
        plain = SEPARATOR.join(text for _, text, _ in self._items())
        return f"{width}|{plain}|{self.error_text(self.model)}"

    def render(self) -> Text:
        self._shown = self._signature()
        return self._text()

    @staticmethod
    def error_text(m: StatusModel) -> str | None:
        if m.last_error and m.state != "live":
            return m.last_error
        return None

    def _text(self) -> Text:
        width = self.size.width or 120
        top = self._top_row(width)
        error = self.error_text(self.model)
        if error is None:
            return top
        text = Text(overflow="fold")
        text.append_text(top)
        text.append("\n")
        text.append(f" ✕ {error}", style=self.get_component_rich_style("status-line--error"))
        return text

    def _top_row(self, width: int) -> Text:
        items = self._items()
        while sum(len(t) for _, t, _ in items) + len(SEPARATOR) * (len(items) - 1) + 1 > width:
            droppable = [i for i, (name, _, _) in enumerate(items) if name in DROP_ORDER]
            if not droppable:
                break
            worst = max(droppable, key=lambda i: (DROP_ORDER[items[i][0]], i))
            del items[worst]
        row = Text(" ", no_wrap=True, overflow="ellipsis")
        for index, (_, item, style) in enumerate(items):
            if index:
                row.append(SEPARATOR)
            row.append(item, style=self.get_component_rich_style(style) if style else "")
        row.truncate(width, overflow="ellipsis")
        return row

    def _items(self) -> list[tuple[str, str, str]]:
        """(name, text, component class or "") of each item of the top row."""
        m = self.model
        now = self.clock()
        warning = "status-line--warning"
        items: list[tuple[str, str, str]] = [("profile", m.profile or "-", "status-line--profile")]
        app_id = m.app_id or "-"
        if self.size.width and self.size.width < 110 and len(app_id) > 12:
            app_id = app_id[:8] + "…"
        items.append(("app_id", app_id, ""))
        items.append(("state", *self._state_text(m, now)))
        if m.paused:
            items.append(("paused", f"PAUSED · {m.new_while_paused} new", "status-line--paused"))
        if m.last_success is not None:
            items.append(("age", age_text(max(0.0, now - m.last_success)), ""))
        if m.latency is not None:
            items.append(("latency", latency_text(m.latency), ""))
        items.append(("rate", f"{m.events_per_minute(now)}/min", ""))
        items.append(("errors", f"errors {m.errors}", ""))
        if m.gaps:
            items.append(("gaps", f"gaps {m.gaps}", warning))
        if m.token_text is not None:
            token = m.token_text()
            items.append(("token", token, warning if token == "token expired" else ""))
        if m.journal_off:
            items.append(("journal", f"journal off: {shorten(m.journal_off)}", warning))
        if m.other_writer:
            items.append(("other_writer", "another console polls this App ID", warning))
        if m.filter_text:
            items.append(("filter", f"filter: {m.filter_text}", ""))
        return items

    def _state_text(self, m: StatusModel, now: float) -> tuple[str, str]:
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
        return label, "status-line--" + m.state.replace(" ", "-")
