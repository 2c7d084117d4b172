"""The polling loop, without Textual: fetch, report, wait, and back off on failure.

The console runs `PollLoop.run()` inside an exclusive async worker; tests run it with a fake
fetch and a fake sleep. The loop only ends on 401 (credentials are wrong: asking again would
only hammer the service) or when its task is cancelled."""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from ..api import AuthenticationFailed, ClassroomError, Event, RateLimited

DEFAULT_INTERVAL = 2.0
MIN_INTERVAL = 0.5
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0


def clamp_interval(seconds: float | None) -> float:
    """The poll interval to use: the default when unset, never below the floor."""
    if seconds is None:
        return DEFAULT_INTERVAL
    return max(MIN_INTERVAL, float(seconds))


@dataclass
class Backoff:
    """Exponential backoff with "full jitter" in its upper half, so that many consoles that
    lost the service at the same moment do not come back in lock step."""

    base: float = BACKOFF_BASE
    cap: float = BACKOFF_CAP
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(0, failures - 1))
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return float(wait)


class PollSink:
    """What the loop reports to. The console posts Textual messages from these."""

    def batch(self, events: Sequence[Event], latency: float) -> Awaitable[None] | None:
        """Take a batch; when this returns an awaitable, the next poll waits for it (the
        console journals the batch before asking for more)."""
        raise NotImplementedError

    def failed(self, error: ClassroomError, failures: int, retry_in: float) -> None:
        raise NotImplementedError

    def auth_failed(self, error: AuthenticationFailed) -> None:
        raise NotImplementedError


Fetch = Callable[[], Awaitable[Sequence[Event]]]
Sleep = Callable[[float], Awaitable[None]]


class PollLoop:
    def __init__(
        self,
        fetch: Fetch,
        sink: PollSink,
        *,
        interval: float = DEFAULT_INTERVAL,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.fetch = fetch
        self.sink = sink
        self.interval = clamp_interval(interval)
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.clock = clock
        self.failures = 0

    async def poll_once(self) -> float | None:
        """One poll; the seconds to wait before the next one, or None to stop for good."""
        started = self.clock()
        try:
            events = await self.fetch()
        except AuthenticationFailed as error:
            self.sink.auth_failed(error)
            return None
        except ClassroomError as error:
            self.failures += 1
            retry_after = error.retry_after if isinstance(error, RateLimited) else None
            wait = self.backoff.delay(self.failures, retry_after)
            self.sink.failed(error, self.failures, wait)
            return wait
        self.failures = 0
        handled = self.sink.batch(events, max(0.0, self.clock() - started))
        if inspect.isawaitable(handled):
            await handled
        # A non-empty batch may mean a backlog: drain it at full speed.
        return 0.0 if events else self.interval

    async def run(self) -> None:
        while True:
            wait = await self.poll_once()
            if wait is None:
                return
            # sleep(0) still yields, so a flood never starves the UI loop.
            await self.sleep(wait)
