"""The polling loop and the log buffer, without Textual: fake fetch, fake sleep."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

import pytest

from classroom_tui.api import (
    AuthenticationFailed,
    ClassroomError,
    Event,
    RateLimited,
    RequestTimedOut,
    ServerError,
)
from classroom_tui.events import EventDecoder
from classroom_tui.ui.poller import Backoff, PollLoop, PollSink, clamp_interval
from classroom_tui.ui.widgets.event_log_model import LogBuffer, LogFilter, LogRow


def event(room: str, cmd: int, sequence: int, **data: object) -> Event:
    raw = {"roomUuid": room, "cmd": cmd, "sequence": sequence, "version": 1, "data": data}
    return Event.from_json(raw)


class Recorder(PollSink):
    def __init__(self) -> None:
        self.seen: list[tuple[str, object]] = []

    def batch(self, events: Sequence[Event], latency: float) -> None:
        self.seen.append(("batch", len(events)))

    def failed(self, error: ClassroomError, failures: int, retry_in: float) -> None:
        self.seen.append(("failed", failures))

    def auth_failed(self, error: AuthenticationFailed) -> None:
        self.seen.append(("auth", error.http_status))


class Script:
    """Answers polls from a list: a list of events, or an exception to raise."""

    def __init__(self, *answers: list[Event] | ClassroomError) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self) -> list[Event]:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, ClassroomError):
            raise answer
        return answer


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def unauthorized() -> AuthenticationFailed:
    return AuthenticationFailed(http_status=401)


def test_interval_default_and_floor() -> None:
    assert clamp_interval(None) == 2.0
    assert clamp_interval(0.1) == 0.5
    assert clamp_interval(5) == 5.0


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    backoff = Backoff(base=1.0, cap=30.0, rng=random.Random(3))
    for failures, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (6, 30.0), (50, 30.0)]:
        delays = {backoff.delay(failures) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, not lock-step
    assert backoff.delay(1, retry_after=7) >= 7
    assert backoff.delay(1, retry_after=900) <= 30.0


async def test_backlog_drains_at_once_then_waits_the_interval() -> None:
    fetch = Script([event("a", 3, 1)], [event("a", 3, 2)], [], unauthorized())
    sink, sleeps = Recorder(), Sleeps()
    await PollLoop(fetch, sink, interval=3.0, sleep=sleeps).run()
    assert sleeps.waits == [0.0, 0.0, 3.0]
    assert sink.seen == [("batch", 1), ("batch", 1), ("batch", 0), ("auth", 401)]


async def test_failures_back_off_then_recover_and_reset() -> None:
    fetch = Script(
        ServerError(http_status=500),
        RequestTimedOut("slow"),
        [],
        ServerError(http_status=500),
        unauthorized(),
    )
    sink, sleeps = Recorder(), Sleeps()
    loop = PollLoop(fetch, sink, interval=2.0, sleep=sleeps, backoff=Backoff(rng=random.Random(1)))
    await loop.run()
    assert sink.seen == [("failed", 1), ("failed", 2), ("batch", 0), ("failed", 1), ("auth", 401)]
    assert 0.5 <= sleeps.waits[0] <= 1.0 and 1.0 <= sleeps.waits[1] <= 2.0
    assert sleeps.waits[2] == 2.0


async def test_rate_limit_honours_retry_after() -> None:
    fetch = Script(RateLimited(http_status=429, retry_after=9), unauthorized())
    sleeps = Sleeps()
    await PollLoop(fetch, Recorder(), sleep=sleeps).run()
    assert sleeps.waits[0] >= 9


async def test_401_stops_for_good() -> None:
    fetch = Script(unauthorized(), [])
    sink = Recorder()
    await PollLoop(fetch, sink, sleep=Sleeps()).run()
    assert fetch.calls == 1 and sink.seen == [("auth", 401)]


def rows(buffer: LogBuffer, *events: Event) -> list[LogRow]:
    decoder = EventDecoder()
    when = datetime(2026, 1, 1, 12, 0, 0)
    return [LogRow(buffer.next_serial(), decoder.decode(e), when) for e in events]


def test_buffer_keeps_at_most_max_lines() -> None:
    buffer = LogBuffer(max_lines=50)
    for start in range(0, 200, 30):
        buffer.add(rows(buffer, *(event("r", 3, n) for n in range(start, start + 30))))
    assert len(buffer.rows) == 50 and len(buffer.view) == 50
    assert buffer.rows[-1].decoded.event.sequence == 209


def test_filter_words_room_and_kind() -> None:
    buffer = LogBuffer()
    user = {"userName": "Bob", "userUuid": "b"}
    buffer.add(
        rows(
            buffer,
            event("Physics 1", 3, 1, fromUser=user, message="hello"),
            event("Math 101", 3, 1, fromUser=user, message="hello"),
            event("Physics 1", 1, 2, state=1),
            event("Physics 1", 4242, 3),
        )
    )
    buffer.set_filter("room:physics kind:chat")
    assert [r.room for r in buffer.view] == ["Physics 1"]
    buffer.set_filter("kind:1")
    assert [r.kind for r in buffer.view] == ["class"]
    buffer.set_filter("kind:unknown")
    assert [r.decoded.event.cmd for r in buffer.view] == [4242]
    buffer.set_filter("HELLO math")
    assert [r.room for r in buffer.view] == ["Math 101"]
    buffer.set_filter("")
    assert len(buffer.view) == 4
    assert not LogFilter.parse("  ").active


def test_pause_buffers_bounded_and_resume_appends() -> None:
    buffer = LogBuffer(max_lines=5)
    buffer.add(rows(buffer, event("r", 3, 1)))
    buffer.pause()
    buffer.add(rows(buffer, *(event("r", 3, n) for n in range(2, 12))))
    assert len(buffer.view) == 1 and buffer.new_while_paused == 5
    buffer.resume()
    assert [r.decoded.event.sequence for r in buffer.view] == [7, 8, 9, 10, 11]
    assert buffer.new_while_paused == 0


@pytest.mark.parametrize("text", ["room:", "kind:", ":x"])
def test_filter_tokens_without_value_are_plain_words(text: str) -> None:
    assert LogFilter.parse(text).words == (text,)
