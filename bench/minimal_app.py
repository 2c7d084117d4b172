"""The baseline: a minimal Textual app (Header, Log, Footer), started like the console."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Log


class MinimalApp(App[None]):
    TITLE = "minimal"
    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Header()
        yield Log()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Log).write_line("minimal app ready")


if __name__ == "__main__":
    MinimalApp().run()
