"""`?`: every key binding of the console, generated from the bindings themselves (so keys
remapped in config.toml show as remapped), grouped by where they apply. Each row ends with the
binding id, the name to use in config.toml's [keymap]: it is never cut, the description wraps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import BindingRow

HELP_TITLE = "Keys  ·  esc closes  ·  remap with the id in config.toml [keymap]"


def help_renderable(rows: Sequence[BindingRow]) -> RenderableType:
    """One table per section (in the rows' order), columns aligned across sections."""
    key_width = max((len(row.keys) for row in rows), default=4)
    id_width = max((len(row.binding_id) for row in rows), default=2)
    parts: list[RenderableType] = []
    sections: dict[str, list[BindingRow]] = {}
    for row in rows:
        sections.setdefault(row.section, []).append(row)
    for section, section_rows in sections.items():
        if parts:
            parts.append(Text(""))
        parts.append(Text(section, style="bold underline"))
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(width=key_width, no_wrap=True, style="bold")
        table.add_column(ratio=1, overflow="fold")
        table.add_column(width=id_width, no_wrap=True, style="dim")
        for row in section_rows:
            # Text, not str: keys such as `[` must not be read as markup.
            table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
        parts.append(table)
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[BindingRow]) -> None:
        super().__init__(id="help")
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(HELP_TITLE, id="help-title", markup=False)
            with VerticalScroll(id="help-table"):
                yield Static(help_renderable(self.rows), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-table", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
