"""The smallest host a pane needs to be tested on its own: a client, settings, a profile name
(the attributes the console provides to its panes)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget

from classroom_tui.api import NO_RETRY, ClassroomClient, ConnectionSettings


class PaneHarness(App[None]):
    """Subclasses set CSS_PATH (relative to their own module) and pass the pane to host."""

    def __init__(self, settings: ConnectionSettings, pane: Widget) -> None:
        super().__init__()
        self.settings: ConnectionSettings | None = settings
        self.client: ClassroomClient | None = ClassroomClient(settings, retry=NO_RETRY)
        self.profile_name = "test"
        self.journal = None
        self._pane = pane

    def compose(self) -> ComposeResult:
        yield self._pane

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()
