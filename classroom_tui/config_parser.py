"""Reading config.toml: the parsed TOML becomes a Config, and every bad value is reported
with the file and the line it is on. Kept apart from config.py, which decides where the file
lives and writes it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from .config_model import (
    SECRET_KEYS,
    Config,
    ConfigError,
    InvalidValue,
    Profile,
    at_least_problem,
    base_url_for,
    interval_problem,
)


def parse_config(path: Path, text: str) -> Config:
    """The Config in `text` (the contents of `path`); ConfigError naming the line if bad."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, error) from None
    return _Parser(path, text).config(document)


def _syntax_error(path: Path, error: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match is None:
        return ConfigError(path, f"is not valid TOML: {message}")
    problem = message[: match.start()].strip()
    return ConfigError(
        path, f"{problem[:1].lower()}{problem[1:]} (column {match[2]})", int(match[1])
    )


class _Parser:
    """Turns the parsed TOML into a Config, pointing at the line of any bad value."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, table: str, key: str | None, problem: str) -> ConfigError:
        return ConfigError(self.path, problem, self.line_of(table, key))

    def line_of(self, table: str, key: str | None) -> int | None:
        """Where `key` of `table` ("" for the top level) is set, else where the table starts."""
        current, table_line = "", None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            header = re.fullmatch(r"\[\s*([^\[\]]+?)\s*\]\s*(#.*)?", line)
            if header:
                current = re.sub(r"[\"'\s]", "", header[1])
                if current == table:
                    table_line = number
                continue
            if current == table and key and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", line):
                return number
        return table_line

    def config(self, document: Mapping[str, Any]) -> Config:
        self.reject_unknown("", document, {*_TOP_KEYS, "active", "keymap", "profiles"})
        values = {key: self.number("", document, key, kind) for key, kind in _TOP_KEYS.items()}
        config = Config()
        for key, value in values.items():
            if value is not None:
                setattr(config, key, value)
        problems = {
            "max_log_lines": at_least_problem("max_log_lines", config.max_log_lines, 100),
            "poll_interval": interval_problem(config.poll_interval),
            "retention_days": at_least_problem("retention_days", config.retention_days, 1),
            "history_lines": at_least_problem("history_lines", config.history_lines, 0),
            "retention_max_mb": at_least_problem("retention_max_mb", config.retention_max_mb, 0),
        }
        for key, problem in problems.items():
            if problem:
                raise self.fail("", key, problem)
        config.keymap = self.keymap(document.get("keymap", {}))
        profiles = self.table("", document, "profiles")
        for name, table in profiles.items():
            if not isinstance(table, dict):
                raise self.fail("profiles", name, f"profiles.{name} must be a table")
            config.profiles[name] = self.profile(name, table, config.poll_interval)
        active = document.get("active")
        if active is not None and (not isinstance(active, str) or active not in config.profiles):
            raise self.fail("", "active", f"active = {active!r} names no profile in this file")
        config.active = active
        return config

    def reject_unknown(self, table: str, values: Mapping[str, Any], known: set[str]) -> None:
        for key in values:
            if key.lower() in SECRET_KEYS:
                raise self.fail(
                    table,
                    key,
                    f"'{key}' does not belong in config.toml: delete that line and run "
                    "`classroom-tui login`, which keeps secrets in the OS keyring",
                )
            if key not in known:
                raise self.fail(
                    table, key, f"unknown setting '{key}' (known: {', '.join(sorted(known))})"
                )

    def table(self, table: str, values: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = values.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(table, key, f"'{key}' must be a table")
        return value

    def number(self, table: str, values: Mapping[str, Any], key: str, kind: type) -> float | None:
        value = values.get(key)
        if value is None:
            return None
        allowed = (int, float) if kind is float else (int,)
        if isinstance(value, bool) or not isinstance(value, allowed):
            noun = "a number" if kind is float else "a whole number"
            raise self.fail(table, key, f"{key} must be {noun}")
        return cast(float, value)

    def keymap(self, value: Any, prefix: str = "") -> dict[str, str]:
        """Binding id -> keys. Binding ids contain dots, so `log.pause = "space"` written bare
        is a nested table in TOML: flatten it back to "log.pause"."""
        if not isinstance(value, dict):
            raise self.fail("", "keymap", "'keymap' must be a table of binding id = keys")
        flat: dict[str, str] = {}
        for key, keys in value.items():
            binding = f"{prefix}{key}"
            if isinstance(keys, dict):
                flat.update(self.keymap(keys, f"{binding}."))
            elif not isinstance(keys, str) or not keys.strip():
                message = f"keymap.{binding} must be a non-empty string of keys"
                raise self.fail("keymap", binding.split(".")[-1], message)
            else:
                flat[binding] = keys
        return flat

    def profile(self, name: str, values: Mapping[str, Any], poll_interval: float) -> Profile:
        table = f"profiles.{name}"
        self.reject_unknown(table, values, set(_PROFILE_KEYS))
        for key in ("base_url", "app_id", "uid"):
            if key not in values:
                raise self.fail(table, None, f"profile '{name}' has no {key}")
        for key, kind in _PROFILE_KEYS.items():
            value = values.get(key)
            if kind in (int, float):
                self.number(table, values, key, kind)
            elif value is not None and not isinstance(value, kind):
                raise self.fail(table, key, f"{key} must be {_KIND_NAMES[kind]}")
        try:
            return Profile(
                name=name,
                base_url=base_url_for(values["base_url"]),
                app_id=values["app_id"].strip(),
                uid=values["uid"].strip(),
                poll_interval=float(values.get("poll_interval", poll_interval)),
                auth_style=values.get("auth_style", "headers"),
                token_lifetime=int(values.get("token_lifetime", 3600)),
                uses_certificate=bool(values.get("uses_certificate", False)),
            )
        except InvalidValue as error:
            raise self.fail(table, None if error.key == "name" else error.key, str(error)) from None


_TOP_KEYS: dict[str, type] = {
    "max_log_lines": int,
    "history_lines": int,
    "poll_interval": float,
    "retention_days": int,
    "retention_max_mb": int,
}
_PROFILE_KEYS: dict[str, type] = {
    "base_url": str,
    "app_id": str,
    "uid": str,
    "poll_interval": float,
    "auth_style": str,
    "token_lifetime": int,
    "uses_certificate": bool,
}
_KIND_NAMES = {str: "a string", bool: "true or false"}
