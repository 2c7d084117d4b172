"""Every key binding of the console, with the user's keymap applied: for the help screen and
for checking a config's `[keymap]` table against the binding ids that exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen

EVERYWHERE = "Everywhere"
DIALOGS = "Dialogs"
# Where a pane's keys apply, by the pane's id.
PANE_SECTIONS = {"log": "Event log", "controller": "Room controller", "recordings": "Recordings"}
SECTION_ORDER = (EVERYWHERE, *PANE_SECTIONS.values(), DIALOGS)

# Textual's own bindings that mean nothing to someone using the console.
HIDDEN_IDS = frozenset({"help_quit"})

# What each binding does, said in full; a binding not listed here shows its own description.
DESCRIPTIONS = {
    "quit": "Quit (works in dialogs too)",
    "command_palette": "Command palette: every action by name",
    "app.quit": "Quit",
    "app.help": "This help",
    "app.audit": "Audit trail of class and recording changes",
    "app.maximize": "Maximise / restore the focused pane",
    "app.focus_log": "Go to the event log",
    "app.focus_controller": "Go to the room controller",
    "app.focus_recordings": "Go to the recordings browser",
    "app.back_to_log": "Back to the event log",
    "app.focus_next": "Next pane or field",
    "app.focus_previous": "Previous pane or field",
    "screen.copy_text": "Copy the selected text",
    "log.pause": "Pause / resume the live log",
    "log.filter": "Filter the log",
    "log.search_journal": "Search the journal (last 30 days)",
    "log.export": "Export the log's view to a file",
    "log.cursor_up": "Line up",
    "log.cursor_down": "Line down",
    "log.first": "First line",
    "log.last": "Last line (follow new events)",
    "log.page_up": "Page up",
    "log.page_down": "Page down",
    "log.show_event": "Details of the event",
    "log.clear_filter": "Clear the filter",
    "controller.start_class": "Start the class",
    "controller.end_class": "End the class",
    "controller.start_recording": "Start recording",
    "controller.stop_recording": "Stop recording",
    "recordings.next_page": "Next page",
    "recordings.prev_page": "Previous page",
    "recordings.copy_url": "Copy the recording's URL",
    "recordings.details": "Details of the recording",
    "help.close": "Close this help",
    "detail.close": "Close the event details",
    "filter.cancel": "Close the filter/search prompt, unchanged",
    "export.cancel": "Close the export prompt",
    "search.close": "Back from journal search to the live log",
    "audit.close": "Close the audit trail",
    "confirm.cancel": "Cancel the confirmation",
    "confirm.left": "Previous button",
    "confirm.right": "Next button",
    "record_detail.close": "Close the recording details",
    "record_detail.copy_url": "Copy the recording's URL",
    "login.save": "Login: save (token to the keyring) and connect",
    "login.connect": "Login: connect without saving the token",
    "login.cancel": "Login: cancel",
}

KEY_NAMES = {"enter": "enter", "escape": "esc"}


@dataclass(frozen=True)
class BindingRow:
    section: str
    keys: str
    description: str
    binding_id: str


def key_display(key: str) -> str:
    """A key as it is typed: `]` for right_square_bracket, `ctrl+e` as is."""
    return KEY_NAMES.get(key) or format_key(key)


def _section(node: DOMNode) -> str:
    if isinstance(node, App | Screen):
        return EVERYWHERE
    for ancestor in (node, *node.ancestors):
        if ancestor.id in PANE_SECTIONS:
            return PANE_SECTIONS[ancestor.id]
    return type(node).__name__


def _nodes_with_bindings(app: App[Any]) -> Iterable[DOMNode]:
    yield app
    screen = app.screen_stack[0] if app.screen_stack else app.screen
    yield screen
    for node in screen.walk_children(with_self=False):
        if node._bindings.key_to_bindings:
            yield node


def _dialog_bindings() -> list[list[BindingType]]:
    # Imported here: the help screen imports this module.
    from .screens.audit import AuditScreen
    from .screens.confirm import ConfirmScreen
    from .screens.event_detail import EventDetailScreen
    from .screens.export import ExportScreen
    from .screens.filter import FilterScreen
    from .screens.help import HelpScreen
    from .screens.journal_search import JournalSearchScreen
    from .screens.login import LoginScreen
    from .screens.record_detail import RecordDetailScreen

    screens: list[type[Screen[Any]]] = [
        FilterScreen,
        EventDetailScreen,
        JournalSearchScreen,
        ExportScreen,
        AuditScreen,
        ConfirmScreen,
        RecordDetailScreen,
        LoginScreen,
        HelpScreen,
    ]
    return [list(screen.BINDINGS) for screen in screens]


def binding_rows(app: App[Any], keymap: Mapping[str, str] | None = None) -> list[BindingRow]:
    """One row per binding id (keys joined), grouped by where it applies: the app and the
    panes as they are now, then the dialogs they open."""
    keymap = dict(app._keymap if keymap is None else keymap)
    rows: list[BindingRow] = []
    seen: set[str] = set()
    for node in _nodes_with_bindings(app):
        # Widgets' own editing keys (Input, DataTable...) have no id: they are not ours to list.
        own_only = not isinstance(node, App | Screen)
        rows.extend(_rows_of(_section(node), _copy(node._bindings), keymap, own_only, seen))
    for bindings in _dialog_bindings():
        rows.extend(_rows_of(DIALOGS, BindingsMap(bindings), keymap, True, seen))
    order = {section: index for index, section in enumerate(SECTION_ORDER)}
    return sorted(rows, key=lambda row: order.get(row.section, len(order)))


def _copy(bindings: BindingsMap) -> BindingsMap:
    copy = BindingsMap()
    copy.key_to_bindings = {key: list(values) for key, values in bindings.key_to_bindings.items()}
    return copy


def _rows_of(
    section: str, bindings: BindingsMap, keymap: dict[str, str], own_only: bool, seen: set[str]
) -> list[BindingRow]:
    if keymap:
        bindings.apply_keymap(keymap)
    by_id: dict[str, tuple[Binding, list[str]]] = {}
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if own_only and binding.id is None:
                continue
            ident = binding.id or binding.action
            if ident in HIDDEN_IDS or ident in seen:
                continue
            keys = by_id.setdefault(ident, (binding, []))[1]
            shown = binding.key_display or key_display(key)
            if shown not in keys:
                keys.append(shown)
    seen.update(by_id)
    return [
        BindingRow(section, ", ".join(keys), _description(ident, binding), ident)
        for ident, (binding, keys) in by_id.items()
    ]


def _description(ident: str, binding: Binding) -> str:
    if ident in DESCRIPTIONS:
        return DESCRIPTIONS[ident]
    text = binding.description or binding.action.replace("_", " ")
    return text[:1].upper() + text[1:]


def all_binding_ids(app: App[Any]) -> set[str]:
    return {row.binding_id for row in binding_rows(app, {})}


def unknown_keymap_ids(app: App[Any], keymap: Mapping[str, str]) -> list[str]:
    """Binding ids in a keymap that no binding has (likely typos)."""
    known = all_binding_ids(app)
    return sorted(ident for ident in keymap if ident not in known)


def first_key(node: DOMNode, binding_id: str) -> str | None:
    """The key a binding of `node` answers to after the app's keymap, as typed (None if none)."""
    bindings = _copy(node._bindings)
    keymap = dict(node.app._keymap)
    if keymap:
        bindings.apply_keymap(keymap)
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if binding.id == binding_id:
                return binding.key_display or key_display(key)
    return None
