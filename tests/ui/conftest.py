"""Fixtures for the console's Pilot and snapshot tests: an app factory with a frozen clock,
events injected into a sandbox with no simulation, and a helper that waits for a condition."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from classroom_tui.api import ConnectionSettings
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.poller import Backoff

FROZEN_NOW = datetime(2026, 3, 2, 9, 30, 15)
SIZE = (120, 36)


class FrozenClock:
    """A monotonic clock that only moves when a test moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value


def chat(room: str, name: str, message: str) -> dict[str, Any]:
    user = {"userUuid": f"u-{name.lower()}", "userName": name, "role": 2}
    return {"roomUuid": room, "cmd": 3, "data": {"fromUser": user, "message": message, "type": 1}}


def class_state(room: str, state: int) -> dict[str, Any]:
    return {"roomUuid": room, "cmd": 1, "data": {"state": state, "startTime": 1_700_000_000_000}}


def joined(room: str, name: str, total: int) -> dict[str, Any]:
    user = {"userUuid": f"u-{name.lower()}", "userName": name, "role": 1, "type": 1}
    return {
        "roomUuid": room,
        "cmd": 20,
        "data": {"total": total, "onlineUsers": [user], "offlineUsers": []},
    }


SCRIPT = [
    class_state("physics lab #2", 1),
    joined("physics lab #2", "Alice", 1),
    chat("physics lab #2", "Bob", "hello"),
    class_state("Math 101", 1),
    {"roomUuid": "Math 101", "cmd": 1001, "data": {"state": 1, "recordId": "rec-123"}},
    chat("Math 101", "Carol", "can you hear me?"),
    {"roomUuid": "Math 101", "cmd": 4242, "data": {"x": 1}},
]


def inject(server: SandboxServer, events: list[dict[str, Any]]) -> None:
    server.world.enqueue_raw(events)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds; fail the test after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the console did not reach the expected state in time")
        await pilot.pause(0.02)


async def panes_mounted(app: ClassroomApp, pilot: Pilot[Any]) -> None:
    """The controller and the recordings browser mount just after the first frame."""
    await asyncio.wait_for(app.panes_mounted.wait(), 10)
    await pilot.pause()


def with_panes_mounted(app: ClassroomApp) -> ClassroomApp:
    """`app.run_test()` hands over the pilot once the panes are mounted, as a user's first
    key would find them."""
    run_test = app.run_test

    @asynccontextmanager
    async def run_test_with_panes(*args: Any, **kwargs: Any) -> AsyncIterator[Pilot[Any]]:
        async with run_test(*args, **kwargs) as pilot:
            await panes_mounted(app, pilot)
            yield pilot

    app.run_test = run_test_with_panes  # type: ignore[method-assign]
    return app


class Kit:
    """The helpers above, handed to tests as the `kit` fixture (tests/ is not a package)."""

    SCRIPT = SCRIPT
    SIZE = SIZE
    FROZEN_NOW = FROZEN_NOW
    chat = staticmethod(chat)
    class_state = staticmethod(class_state)
    joined = staticmethod(joined)
    inject = staticmethod(inject)
    wait_for = staticmethod(wait_for)
    panes_mounted = staticmethod(panes_mounted)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


@pytest.fixture
def make_app() -> Callable[..., ClassroomApp]:
    def make(settings: ConnectionSettings | None, **kwargs: Any) -> ClassroomApp:
        kwargs.setdefault("profile_name", "test")
        kwargs.setdefault("now", lambda: FROZEN_NOW)
        kwargs.setdefault("monotonic", FrozenClock())
        kwargs.setdefault("poll_interval", 0.5)
        kwargs.setdefault("backoff", Backoff(base=0.05, cap=0.2, rng=random.Random(1)))
        return with_panes_mounted(ClassroomApp(settings, **kwargs))

    return make
