"""Profiles and preferences in config.toml. Secrets never live here: see auth/credentials.py.

The file looks like this (every key but a profile's base_url, app_id and uid is optional):

    active = "default"
    max_log_lines = 10000   # lines the console's log keeps
    history_lines = 200     # journaled events shown, marked as history, when the console opens
    poll_interval = 2.0
    retention_days = 30     # the journal drops events older than this...
    retention_max_mb = 1024 # ...and the oldest ones beyond this size (0: no size limit)

    [keymap]                # binding id = keys; `classroom-tui` then `?` lists the ids
    log.pause = "space"

    [profiles.default]
    base_url = "https://api.agora.io/na"
    app_id = "..."
    uid = "support-1"
    poll_interval = 2.0
    auth_style = "headers"
    token_lifetime = 3600
    uses_certificate = false
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import tomli_w
from platformdirs import user_config_path, user_data_path

APP_NAME = "classroom-tui"
DEFAULT_HOST = "https://api.agora.io"
REGIONS = ("cn", "ap", "na", "eu")
DEFAULT_PROFILE = "default"
MIN_POLL_INTERVAL = 0.5
MAX_TOKEN_LIFETIME = 86400
AUTH_STYLES = ("headers", "authorization")
AuthStyle = Literal["headers", "authorization"]

_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_SECRET_KEYS = frozenset({"token", "app_certificate", "certificate", "password", "secret"})
_HEADER = (
    "# Written by classroom-tui. Tokens and certificates live in the OS keyring, never here.\n"
)


class ConfigError(Exception):
    """config.toml cannot be used; the message names the file and, when known, the line."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        where = f"{path} line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class InvalidValue(ValueError):
    """A profile or preference value is out of bounds; `key` names the offending setting."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key


def base_url_for(value: str) -> str:
    """A base URL, or a region name (cn, ap, na, eu) standing for the official host."""
    value = value.strip()
    if value.lower() in REGIONS:
        return f"{DEFAULT_HOST}/{value.lower()}"
    return value.rstrip("/")


def base_url_problem(url: str) -> str | None:
    match = re.fullmatch(r"(https?)://([^/\s?#]+)(/\S*)?", url)
    if match is None:
        return f"base URL {url!r} is not an http(s) URL or a region ({', '.join(REGIONS)})"
    return None


def profile_name_problem(name: str) -> str | None:
    if _PROFILE_NAME.fullmatch(name) is None:
        return (
            f"profile name {name!r} must be 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    return None


@dataclass
class Profile:
    """One service account to connect with. Its token or App Certificate is in the keyring."""

    name: str
    base_url: str
    app_id: str
    uid: str
    poll_interval: float = 2.0
    auth_style: AuthStyle = "headers"
    token_lifetime: int = 3600
    uses_certificate: bool = False

    def __post_init__(self) -> None:
        checks = [
            ("name", profile_name_problem(self.name)),
            ("base_url", base_url_problem(self.base_url)),
            ("app_id", None if self.app_id.strip() else "the App ID is empty"),
            ("uid", None if self.uid.strip() else "the uid is empty"),
            ("poll_interval", _interval_problem(self.poll_interval)),
            ("auth_style", _auth_style_problem(self.auth_style)),
            ("token_lifetime", _lifetime_problem(self.token_lifetime)),
        ]
        for key, problem in checks:
            if problem:
                raise InvalidValue(key, problem)


@dataclass
class Config:
    active: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    max_log_lines: int = 10000
    history_lines: int = 200
    poll_interval: float = 2.0
    retention_days: int = 30
    retention_max_mb: int = 1024

    def active_profile(self) -> Profile | None:
        return self.profiles.get(self.active) if self.active else None


def _interval_problem(value: float) -> str | None:
    if value < MIN_POLL_INTERVAL:
        return f"the poll interval must be at least {MIN_POLL_INTERVAL} seconds, not {value:g}"
    return None


def _at_least(key: str, value: float, low: int) -> str | None:
    return None if value >= low else f"{key} must be at least {low}, not {value:g}"


def _auth_style_problem(value: str) -> str | None:
    if value not in AUTH_STYLES:
        return f"auth_style must be one of {', '.join(AUTH_STYLES)}, not {value!r}"
    return None


def _lifetime_problem(value: int) -> str | None:
    if not 1 <= value <= MAX_TOKEN_LIFETIME:
        return f"token_lifetime must be 1..{MAX_TOKEN_LIFETIME} seconds, not {value}"
    return None


def config_path() -> Path:
    """The one place that decides where config.toml lives (XDG_CONFIG_HOME is honoured)."""
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    return user_data_path(APP_NAME)


def upsert_profile(config: Config, profile: Profile, make_active: bool = True) -> Config:
    profiles = {**config.profiles, profile.name: profile}
    active = profile.name if make_active or config.active is None else config.active
    return replace(config, profiles=profiles, active=active)


def remove_profile(config: Config, name: str) -> Config:
    profiles = {key: value for key, value in config.profiles.items() if key != name}
    active = None if config.active == name else config.active
    return replace(config, profiles=profiles, active=active)


# ---------------------------------------------------------------- reading


def load_config(path: Path | None = None) -> Config:
    """The saved config; an empty one when the file does not exist."""
    path = config_path() if path is None else path
    text = _read_text(path)
    if text is None:
        return Config()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, error) from None
    return _Parser(path, text).config(document)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(path, f"cannot be read ({error.strerror or error})") from None


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
            "max_log_lines": _at_least("max_log_lines", config.max_log_lines, 100),
            "poll_interval": _interval_problem(config.poll_interval),
            "retention_days": _at_least("retention_days", config.retention_days, 1),
            "history_lines": _at_least("history_lines", config.history_lines, 0),
            "retention_max_mb": _at_least("retention_max_mb", config.retention_max_mb, 0),
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
            if key.lower() in _SECRET_KEYS:
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


# ---------------------------------------------------------------- writing


def save_config(config: Config, path: Path | None = None) -> None:
    """Write atomically, readable by the owner only. A corrupt file is never replaced."""
    path = config_path() if path is None else path
    try:
        load_config(path)
    except ConfigError as error:
        raise ConfigError(
            path, f"{error.problem}; the file was left untouched, fix or move it first", error.line
        ) from None
    _ensure_private_dir(path.parent)
    text = _HEADER + tomli_w.dumps(_document(config))
    # mkstemp creates the file with mode 0600, so the config is never readable by others.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(path, f"cannot be written ({error.strerror or error})") from None


def _ensure_private_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)
    except OSError as error:
        raise ConfigError(directory, f"cannot be created ({error.strerror or error})") from None


def _document(config: Config) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if config.active is not None:
        document["active"] = config.active
    document["max_log_lines"] = config.max_log_lines
    document["poll_interval"] = float(config.poll_interval)
    document["retention_days"] = config.retention_days
    document["history_lines"] = config.history_lines
    document["retention_max_mb"] = config.retention_max_mb
    if config.keymap:
        document["keymap"] = dict(config.keymap)
    document["profiles"] = {
        name: {
            "base_url": profile.base_url,
            "app_id": profile.app_id,
            "uid": profile.uid,
            "poll_interval": float(profile.poll_interval),
            "auth_style": profile.auth_style,
            "token_lifetime": profile.token_lifetime,
            "uses_certificate": profile.uses_certificate,
        }
        for name, profile in config.profiles.items()
    }
    return document
