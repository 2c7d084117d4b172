"""The configuration's shapes and rules: profiles, preferences and the checks on their
values. No file access here (see config.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

APP_NAME = "classroom-tui"
DEFAULT_HOST = "https://api.agora.io"
REGIONS = ("cn", "ap", "na", "eu")
DEFAULT_PROFILE = "default"
MIN_POLL_INTERVAL = 0.5
MAX_TOKEN_LIFETIME = 86400
AUTH_STYLES = ("headers", "authorization")
AuthStyle = Literal["headers", "authorization"]

_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
SECRET_KEYS = frozenset({"token", "app_certificate", "certificate", "password", "secret"})
FILE_HEADER = (
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
            ("poll_interval", interval_problem(self.poll_interval)),
            ("auth_style", auth_style_problem(self.auth_style)),
            ("token_lifetime", lifetime_problem(self.token_lifetime)),
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


def interval_problem(value: float) -> str | None:
    if value < MIN_POLL_INTERVAL:
        return f"the poll interval must be at least {MIN_POLL_INTERVAL} seconds, not {value:g}"
    return None


def at_least_problem(key: str, value: float, low: int) -> str | None:
    return None if value >= low else f"{key} must be at least {low}, not {value:g}"


def auth_style_problem(value: str) -> str | None:
    if value not in AUTH_STYLES:
        return f"auth_style must be one of {', '.join(AUTH_STYLES)}, not {value!r}"
    return None


def lifetime_problem(value: int) -> str | None:
    if not 1 <= value <= MAX_TOKEN_LIFETIME:
        return f"token_lifetime must be 1..{MAX_TOKEN_LIFETIME} seconds, not {value}"
    return None
