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
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w
from platformdirs import user_config_path, user_data_path

from .config_model import (
    APP_NAME,
    AUTH_STYLES,
    DEFAULT_HOST,
    DEFAULT_PROFILE,
    FILE_HEADER,
    MAX_TOKEN_LIFETIME,
    MIN_POLL_INTERVAL,
    REGIONS,
    AuthStyle,
    Config,
    ConfigError,
    InvalidValue,
    Profile,
    base_url_for,
    base_url_problem,
    profile_name_problem,
)
from .config_parser import parse_config

__all__ = [
    "APP_NAME",
    "AUTH_STYLES",
    "DEFAULT_HOST",
    "DEFAULT_PROFILE",
    "MAX_TOKEN_LIFETIME",
    "MIN_POLL_INTERVAL",
    "REGIONS",
    "AuthStyle",
    "Config",
    "ConfigError",
    "InvalidValue",
    "Profile",
    "base_url_for",
    "base_url_problem",
    "config_path",
    "data_dir",
    "load_config",
    "profile_name_problem",
    "remove_profile",
    "save_config",
    "upsert_profile",
]


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
    return parse_config(path, text)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(path, f"cannot be read ({error.strerror or error})") from None


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
    text = FILE_HEADER + tomli_w.dumps(_document(config))
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
