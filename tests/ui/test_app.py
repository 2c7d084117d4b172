"""The console shell driven by Pilot against a sandbox over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import httpx

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.launch import demo_plan
from classroom_tui.ui.screens.event_detail import EventDetailScreen, event_json
from classroom_tui.ui.screens.help import HelpScreen

MakeApp = Callable[..., ClassroomApp]
SIZE = (120, 36)


def status_text(app: ClassroomApp) -> str:
    return str(app.status_line.render())


async def test_demo_starts_and_events_arrive_within_seconds(kit: Any) -> None:
    with ExitStack() as stack:
        plan = demo_plan(stack, rate=20.0)
        app = ClassroomApp(plan.settings, **plan.app_kwargs())
        async with app.run_test(size=SIZE) as pilot:
            await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) > 0, timeout=5)
            assert "● live" in status_text(app)
            assert "demo" in status_text(app)
            await kit.panes_mounted(app, pilot)
            assert app.query_one("#controller") and app.query_one("#recordings")


async def test_each_event_is_one_readable_line(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == len(kit.SCRIPT))
        lines = app.log_pane.visible_lines()
    assert lines[0] == "09:30:15  physics lab #2  #1  class  class started"
    assert lines[1].endswith("users  Alice (teacher) joined · 1 online")
    assert lines[2].endswith("chat  chat Bob: hello")
    assert lines[4].endswith("recording  recording started rec-123")
    assert lines[6].endswith("unknown  unknown (cmd 4242)")


async def test_filter_by_kind_room_and_text_then_clear(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        log = app.log_pane
        await kit.wait_for(pilot, lambda: len(log.buffer.rows) == len(kit.SCRIPT))
        await pilot.press("slash")
        await pilot.press(*"kind:chat")
        await pilot.press("enter")
        await kit.wait_for(pilot, lambda: log.filter_text == "kind:chat")
        assert len(log.visible_lines()) == 2
        assert all("  chat  " in line for line in log.visible_lines())
        assert "filter: kind:chat" in status_text(app)

        log.set_filter("room:math hear")
        assert [line.split("  ")[-1] for line in log.visible_lines()] == [
            "chat Carol: can you hear me?"
        ]
        # A new event that matches shows up; one that does not stays hidden.
        kit.inject(
            sandbox,
            [kit.chat("Math 101", "Dan", "hear this"), kit.chat("physics lab #2", "E", "hear")],
        )
        await kit.wait_for(pilot, lambda: len(log.buffer.rows) == len(kit.SCRIPT) + 2)
        assert len(log.visible_lines()) == 2

        log.focus()
        await pilot.press("escape")
        assert log.filter_text == ""
        assert len(log.visible_lines()) == len(kit.SCRIPT) + 2

        await pilot.press("slash")
        await pilot.press("enter")  # an empty filter shows everything too
        assert len(log.visible_lines()) == len(kit.SCRIPT) + 2


async def test_pause_collects_and_counts_then_resume_follows(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT[:3])
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        log = app.log_pane
        await kit.wait_for(pilot, lambda: len(log.visible_lines()) == 3)
        await pilot.press("p")
        assert "PAUSED · 0 new" in status_text(app)
        kit.inject(sandbox, kit.SCRIPT[3:])
        await kit.wait_for(pilot, lambda: log.buffer.new_while_paused == 4)
        assert len(log.visible_lines()) == 3
        assert "PAUSED · 4 new" in status_text(app)
        assert "PAUSED · 4 new" in str(log.border_title)
        await pilot.press("p")
        assert "PAUSED" not in status_text(app)
        assert len(log.visible_lines()) == len(kit.SCRIPT)
        assert log.cursor == len(kit.SCRIPT) - 1 and log.following


async def test_enter_shows_the_whole_event_as_json(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    kit.inject(sandbox, kit.SCRIPT)
    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        log = app.log_pane
        await kit.wait_for(pilot, lambda: len(log.buffer.rows) == len(kit.SCRIPT))
        await pilot.press("up", "up")
        await pilot.press("enter")
        assert isinstance(app.screen, EventDetailScreen)
        row = app.screen.row
        assert row.decoded.event.cmd == 1001
        text = event_json(row)
        assert app.screen.query_one("#detail-json").visual is not None
        assert '"recordId": "rec-123"' in text and '"roomUuid": "Math 101"' in text
        await pilot.press("escape")
        assert not isinstance(app.screen, EventDetailScreen)


async def test_help_lists_every_binding_with_remapped_keys(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings, keymap={"log.pause": "space"})
    async with app.run_test(size=SIZE) as pilot:
        expected = {
            binding.id
            for node in [app, *app.screen.walk_children()]
            for _key, binding in node._bindings
            if binding.id and node.id in (None, "log", "controller", "recordings")
        }
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows
        ids = {row.binding_id for row in rows}
        assert expected <= ids
        assert {"log.pause", "app.help", "log.filter", "app.maximize"} <= ids
        assert {"controller.start_class", "recordings.next_page"} <= ids
        pause = next(row for row in rows if row.binding_id == "log.pause")
        assert pause.keys == "space"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_override_moves_the_key(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings, keymap={"log.pause": "space"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert not app.log_pane.paused
        await pilot.press("space")
        assert app.log_pane.paused


async def test_backoff_on_faults_then_recovery(
    sandbox_factory: Callable[..., SandboxServer], make_app: MakeApp, kit: Any
) -> None:
    server = sandbox_factory(faults="error500=1")
    app = make_app(server.settings)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: app.status.failures >= 2)
        text = status_text(app)
        # From the third failure without any success it reads "offline"; the loop may be there.
        assert ("retrying" in text or "offline" in text) and "next in" in text
        assert "internal error" in text
        httpx.put(
            f"{server.base_url}/_sandbox/faults",
            json={"spec": "none"},
            headers=server.headers,
            timeout=5,
        ).raise_for_status()
        kit.inject(server, [kit.chat("Math 101", "Zoe", "back")])
        await kit.wait_for(pilot, lambda: app.status.state == "live")
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == 1)
        assert "● live" in status_text(app)
        assert app.status.errors >= 2


async def test_unauthorized_stops_polling_and_asks_for_login(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings_with(token="wrong-token"))
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "auth failed")
        await pilot.pause(0.1)
        assert "auth failed" in status_text(app)
        assert not [w for w in app.workers if w.group == "poll" and w.is_running]
        assert type(app.screen).__name__ == "LoginScreen"
        polls = sandbox.stats()
        await pilot.pause(1.0)
        assert sandbox.stats() == polls  # no hammering


async def test_panes_focus_by_key_and_maximise(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        assert app._pane_of(app.focused) is app.query_one("#recordings")
        await pilot.press("alt+2")
        assert app._pane_of(app.focused) is app.query_one("#controller")
        await pilot.press("alt+z")
        assert app.screen.maximized is app.query_one("#controller")
        await pilot.press("alt+z")
        assert app.screen.maximized is None
        await pilot.press("escape")
        assert app.focused is app.log_pane
        await pilot.press("z")
        assert app.screen.maximized is app.log_pane
        await pilot.press("z")
        assert app.screen.maximized is None


async def test_demo_sandbox_starts_after_the_first_frame_then_goes_live(kit: Any) -> None:
    started: list[bool] = []
    with ExitStack() as stack:

        def prepare() -> Any:
            started.append(True)
            return demo_plan(stack, rate=20.0)

        app = ClassroomApp(None, profile_name="demo", prepare=prepare)
        async with app.run_test(size=SIZE) as pilot:
            await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) > 0, timeout=5)
            assert started == [True]
            assert "● live" in status_text(app)
            assert not app.screen_stack[1:], "no login screen while the demo prepares"


async def test_a_demo_that_cannot_start_says_why_in_one_line(kit: Any) -> None:
    def prepare() -> Any:
        raise RuntimeError("the demo sandbox could not start: no free port")

    app = ClassroomApp(None, profile_name="demo", prepare=prepare)
    async with app.run_test(size=SIZE) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "not connected", timeout=5)
        assert "could not start: no free port" in status_text(app)


async def test_a_backlog_is_shown_in_turns_in_order(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    from classroom_tui.ui.app import EVENTS_PER_TURN

    app = make_app(sandbox.settings, start_polling=False)
    async with app.run_test(size=SIZE) as pilot:
        from classroom_tui.api import Event
        from classroom_tui.ui.messages import EventsFetched

        total = EVENTS_PER_TURN * 2 + 50
        events = [Event("room-a", 1, n, 0, {}, {}) for n in range(1, total + 1)]
        for start in range(0, total, 100):
            app.deliver_batch(EventsFetched(events[start : start + 100], 0.01))
        await pilot.pause()
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == total)
        shown = [row.decoded.event.sequence for row in app.log_pane.buffer.rows]
        assert shown == list(range(1, total + 1))


def test_age_moves_in_steps_so_a_quiet_console_does_not_repaint_every_second() -> None:
    from classroom_tui.ui.widgets.status_line import age_text

    assert age_text(0.2) == age_text(4.9) == "<5s ago"
    assert age_text(7.5) == "5s ago"
    assert age_text(59.9) == "55s ago"
    assert age_text(61) == "1m ago"


async def test_keys_typed_before_the_panes_are_mounted_are_replayed_in_order(
    sandbox: SandboxServer, kit: Any
) -> None:
    from textual import events

    from classroom_tui.ui.widgets.room_field import RoomField

    # Not make_app: its pilot starts once the panes are mounted, and these keys come before.
    app = ClassroomApp(sandbox.settings, journal=False, poll_interval=0.5)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.panes_mounted.is_set()
        room = [(c, c) if c != " " else ("space", c) for c in "biology archive"]
        for key, character in [("3", "3"), *room, ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await kit.wait_for(pilot, lambda: app.panes_mounted.is_set() and not app._early_keys)
        assert app.query_one("#recordings").query_one(RoomField).room == "biology archive"
        # Enter asked for the room's recordings, and no letter reached the log's bindings
        # (`a` would have opened the audit screen).
        position = app.query_one("#recordings-position")
        await kit.wait_for(pilot, lambda: "page 1" in str(position.render()))
        assert len(app.screen_stack) == 1


async def test_focus_keys_typed_in_a_burst_put_the_letters_in_the_new_focus(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    from textual import events

    from classroom_tui.ui.widgets.room_field import RoomField

    app = make_app(sandbox.settings)
    async with app.run_test(size=SIZE) as pilot:
        # One burst, as a fast typist or a paste delivers it: no turn between the keys.
        for key, character in [("2", "2"), *[(c, c) for c in "lab"]]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert app.query_one("#controller").query_one(RoomField).room == "lab"
        assert len(app.screen_stack) == 1
