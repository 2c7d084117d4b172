"""Every key binding of the console, with the user's keymap applied: for the help screen and
for checking a config's `[keymap]` table against the binding ids that exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class BindingRow:
    section: str
    keys: str
    description: str
    binding_id: str


def _section(node: DOMNode) -> str:
    if isinstance(node, App):
        return "Console"
    if node.id:
        return f"{type(node).__name__} (#{node.id})"
    return type(node).__name__


def _nodes_with_bindings(app: App[Any]) -> Iterable[DOMNode]:
    yield app
    screen = app.screen_stack[0] if app.screen_stack else app.screen
    yield screen
    for node in screen.walk_children(with_self=False):
        if node._bindings.key_to_bindings:
            yield node


def binding_rows(app: App[Any], keymap: Mapping[str, str] | None = None) -> list[BindingRow]:
    """One row per binding id (keys joined), in the order the DOM declares them."""
    keymap = dict(app._keymap if keymap is None else keymap)
    rows: list[BindingRow] = []
    seen_types: set[tuple[type[DOMNode], str | None]] = set()
    for node in _nodes_with_bindings(app):
        marker = (type(node), node.id)
        if marker in seen_types:
            continue
        seen_types.add(marker)
        bindings = BindingsMap()
        bindings.key_to_bindings = {
            key: list(values) for key, values in node._bindings.key_to_bindings.items()
        }
        if keymap:
            bindings.apply_keymap(keymap)
        # Widgets' own editing keys (Input, DataTable...) have no id: they are not ours to list.
        own_only = not isinstance(node, App | Screen)
        rows.extend(_rows_of(_section(node), bindings, own_only))
    return rows


def _rows_of(section: str, bindings: BindingsMap, own_only: bool) -> list[BindingRow]:
    by_action: dict[str, tuple[Binding, list[str]]] = {}
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if own_only and binding.id is None:
                continue
            ident = binding.id or binding.action
            entry = by_action.setdefault(ident, (binding, []))
            entry[1].append(binding.key_display or _display(key))
    return [
        BindingRow(section, ", ".join(keys), binding.description or binding.action, ident)
        for ident, (binding, keys) in by_action.items()
    ]


def _display(key: str) -> str:
    names = {
        "question_mark": "?",
        "slash": "/",
        "escape": "esc",
        "enter": "enter",
        "space": "space",
        "tab": "tab",
        "shift+tab": "shift+tab",
    }
    return names.get(key, key)


def all_binding_ids(app: App[Any]) -> set[str]:
    return {row.binding_id for row in binding_rows(app, {})}


def unknown_keymap_ids(app: App[Any], keymap: Mapping[str, str]) -> list[str]:
    """Binding ids in a keymap that no binding has (likely typos)."""
    known = all_binding_ids(app)
    return sorted(ident for ident in keymap if ident not in known)
