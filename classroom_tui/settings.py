"""Where the connection settings come from: flags win over CLASSROOM_TUI_* variables."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .api import ConnectionSettings, InvalidInput

ENV_BASE_URL = "CLASSROOM_TUI_BASE_URL"
ENV_APP_ID = "CLASSROOM_TUI_APP_ID"
ENV_UID = "CLASSROOM_TUI_UID"
ENV_TOKEN = "CLASSROOM_TUI_TOKEN"

DEFAULT_HOST = "https://api.agora.io"
REGIONS = ("cn", "ap", "na", "eu")


def base_url_for(value: str) -> str:
    """A base URL, or a region name (cn, ap, na, eu) standing for the official host."""
    value = value.strip()
    if value.lower() in REGIONS:
        return f"{DEFAULT_HOST}/{value.lower()}"
    return value.rstrip("/")


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        f"Flags win over {ENV_BASE_URL}, {ENV_APP_ID}, {ENV_UID} and {ENV_TOKEN}; "
        "the token is only read from the environment or the keyring, never from a flag.",
    )
    group.add_argument(
        "--base-url", metavar="URL", help=f"service URL or region cn|ap|na|eu ({DEFAULT_HOST})"
    )
    group.add_argument("--app-id", metavar="ID", help="the App ID")
    group.add_argument("--uid", metavar="UID", help="the uid the token was made for")
    group.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=10.0, help="per request (10)"
    )


@dataclass(frozen=True)
class PartialConnection:
    """Connection fields gathered so far; any may still be missing."""

    base_url: str | None = None
    app_id: str | None = None
    uid: str | None = None
    token: str | None = None

    def missing(self) -> list[str]:
        names = {"base URL": self.base_url, "App ID": self.app_id, "uid": self.uid}
        names["token"] = self.token
        return [name for name, value in names.items() if not value]

    def over(self, lower: PartialConnection) -> PartialConnection:
        """These values, with gaps filled from `lower`."""
        return PartialConnection(
            base_url=self.base_url or lower.base_url,
            app_id=self.app_id or lower.app_id,
            uid=self.uid or lower.uid,
            token=self.token or lower.token,
        )


def from_flags(args: argparse.Namespace) -> PartialConnection:
    return PartialConnection(
        base_url=getattr(args, "base_url", None),
        app_id=getattr(args, "app_id", None),
        uid=getattr(args, "uid", None),
    )


def from_environment(env: Mapping[str, str] | None = None) -> PartialConnection:
    env = os.environ if env is None else env
    return PartialConnection(
        base_url=env.get(ENV_BASE_URL) or None,
        app_id=env.get(ENV_APP_ID) or None,
        uid=env.get(ENV_UID) or None,
        token=env.get(ENV_TOKEN) or None,
    )


def complete_settings(partial: PartialConnection, timeout: float = 10.0) -> ConnectionSettings:
    """ConnectionSettings from a complete PartialConnection, or InvalidInput naming the gaps."""
    missing = partial.missing()
    if missing:
        raise InvalidInput(
            f"no {', '.join(missing)} given: use --base-url/--app-id/--uid, the "
            f"{ENV_BASE_URL}/{ENV_APP_ID}/{ENV_UID}/{ENV_TOKEN} variables, or a saved profile"
        )
    assert partial.base_url and partial.app_id and partial.uid and partial.token
    return ConnectionSettings(
        base_url=base_url_for(partial.base_url),
        app_id=partial.app_id,
        uid=partial.uid,
        token=partial.token,
        timeout=timeout,
    )


def resolve_settings(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> ConnectionSettings:
    """The connection for a command: flags, then environment."""
    partial = from_flags(args).over(from_environment(env))
    return complete_settings(partial, timeout=getattr(args, "timeout", 10.0) or 10.0)
