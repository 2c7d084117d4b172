"""The console's layout at the sizes support engineers use: a maximised pane fits the screen and
the status line (connection state, PAUSED, the last error) stays on top whatever is shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widget import Widget
from textual.widgets import Button, Static

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp
from classroom_tui.ui.widgets.room_controller import Action, RoomController
from classroom_tui.ui.widgets.room_field import RoomField

SIZES = [(120, 36), (80, 24)]


def status_shown(app: ClassroomApp) -> bool:
    widget, _ = app.screen.get_widget_at(0, 0)
    return widget is app.status_line


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("pane", "key"), [("log", "1"), ("controller", "2"), ("recordings", "3")])
async def test_a_maximised_pane_fits_and_the_status_line_stays(
    sandbox: SandboxServer,
    make_app: Callable[..., ClassroomApp],
    size: tuple[int, int],
    pane: str,
    key: str,
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(key, "alt+z")
        await pilot.pause()
        widget = app.query_one(f"#{pane}", Widget)
        assert app.screen.maximized is widget
        width, height = size
        region = widget.region
        assert region.x == 0 and region.right == width
        assert region.y >= 1 and region.bottom <= height - 1
        for button in widget.query(Button):
            assert button.region.right <= width - 1, button.id
        assert status_shown(app)
        await pilot.press("alt+z")
        await pilot.pause()
        assert app.screen.maximized is None
        assert status_shown(app)


def drawn_lines(widget: Widget) -> list[str]:
    lines = widget.render_lines(widget.region.reset_offset)
    return ["".join(segment.text for segment in line).rstrip() for line in lines]


@pytest.mark.parametrize("size", SIZES)
async def test_the_last_error_is_readable_whole_while_not_live(
    sandbox_factory: Callable[..., SandboxServer],
    make_app: Callable[..., ClassroomApp],
    kit: type,
    size: tuple[int, int],
) -> None:
    server = sandbox_factory(faults="error500=1")
    app = make_app(server.settings)
    async with app.run_test(size=size) as pilot:
        await kit.wait_for(pilot, lambda: app.status.failures >= 2)
        await pilot.pause()
        error = app.status.last_error
        assert "internal error" in error
        lines = drawn_lines(app.status_line)
        assert len(lines) >= 2 and app.status_line.region.height == len(lines)
        top, rest = lines[0], " ".join(lines[1:])
        assert ("retrying" in top or "offline" in top) and "next in" in top
        assert f"errors {app.status.errors}" in top
        assert error not in top
        assert " ".join(rest.split()) == f"✕ {error}"
        # The panes start below the status line, whatever its height.
        assert app.query_one("#panes", Widget).region.y == len(lines)


@pytest.mark.parametrize("size", SIZES)
async def test_the_error_row_goes_when_the_connection_is_live_again(
    sandbox: SandboxServer,
    make_app: Callable[..., ClassroomApp],
    kit: type,
    size: tuple[int, int],
) -> None:
    app = make_app(sandbox.settings)
    async with app.run_test(size=size) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "live")
        # No poll may answer (and clear the error) while the failed state is looked at.
        app.stop_polling()
        await kit.wait_for(pilot, lambda: not any(w.group == "poll" for w in app.workers))
        app.status.record_failure(app.monotonic(), 1, 5.0, "the service did not answer [/] in 10 s")
        app.status_line.refresh()
        await pilot.pause()
        lines = drawn_lines(app.status_line)
        assert lines[1].strip() == "✕ the service did not answer [/] in 10 s"
        assert app.query_one("#panes", Widget).region.y == 2
        app.poll_events()
        await kit.wait_for(pilot, lambda: app.status.state == "live")
        await pilot.pause(0.1)
        assert len(drawn_lines(app.status_line)) == 1
        assert app.query_one("#panes", Widget).region.y == 1


@pytest.mark.parametrize("size", SIZES)
async def test_a_conflict_is_shown_whole_and_the_rooms_stay_listed(
    sandbox: SandboxServer,
    make_app: Callable[..., ClassroomApp],
    kit: type,
    size: tuple[int, int],
) -> None:
    kit.inject(sandbox, [kit.class_state("Math 101", 2)])
    app = make_app(sandbox.settings)
    async with app.run_test(size=size) as pilot:
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == 1)
        controller = app.query_one(RoomController)
        field = controller.query_one(RoomField)
        field.room = "Math 101"
        controller.request(Action.START_CLASS)
        controller.request(Action.START_CLASS)  # the second is refused: already started
        await kit.wait_for(pilot, lambda: "failed" in str(result(app).render()))
        await pilot.pause()
        message = str(result(app).render())
        assert "HTTP 409" in message and "code" in message
        assert " ".join(" ".join(drawn_lines(result(app))).split()) == message
        # The pane scrolls to the result, whole; the rooms seen are below it, not squeezed out.
        assert controller.content_region.contains_region(result(app).region)
        rooms = controller.query_one("#controller-rooms", Widget)
        assert rooms.outer_size.height >= 3
        controller.scroll_end(animate=False)
        await pilot.pause()
        assert controller.content_region.contains_region(rooms.region)

        field.room = "Math 102"  # another room: the result was not about it
        await pilot.pause()
        assert str(result(app).render()) == ""
        field.room = "Math 101"
        await pilot.pause()
        assert str(result(app).render()) == ""


def result(app: ClassroomApp) -> Static:
    return app.query_one("#controller-result", Static)


async def test_buttons_show_the_keys_bound_after_the_keymap(
    sandbox: SandboxServer, make_app: Callable[..., ClassroomApp]
) -> None:
    keymap = {"controller.end_class": "ctrl+k", "controller.start_recording": "R"}
    app = make_app(sandbox.settings, keymap=keymap)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        labels = {b.id: str(b.label) for b in app.query_one(RoomController).query(Button)}
        assert labels == {
            "start_class": "Start class [s]",
            "end_class": "End class [ctrl+k]",
            "start_recording": "Start rec [R]",
            "stop_recording": "Stop rec [x]",
        }
