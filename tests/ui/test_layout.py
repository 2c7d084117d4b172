"""The console's layout at the sizes support engineers use: a maximised pane fits the screen and
the status line (connection state, PAUSED, the last error) stays on top whatever is shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widget import Widget
from textual.widgets import Button

from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp

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
