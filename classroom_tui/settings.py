"""Where the connection settings come from, highest first: flags, CLASSROOM_TUI_* variables,
the chosen profile in config.toml, and the profile's secret in the OS keyring."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING, cast

from .api import ConnectionSettings, InvalidInput
from .cli.exit_codes import CommandError

if TYPE_CHECKING:
    from .auth.token_source import TokenSource
from .config import (
    AUTH_STYLES,
    DEFAULT_HOST,
    DEFAULT_PROFILE,
    REGIONS,
    AuthStyle,
    ConfigError,
    Profile,
    base_url_for,
    config_path,
    load_config,
)

__all__ = [
    "DEFAULT_HOST",
    "REGIONS",
    "PartialConnection",
    "add_connection_arguments",
    "base_url_for",
    "complete_settings",
    "from_environment",
    "from_flags",
    "resolve_profile",
    "resolve_settings",
]

ENV_BASE_URL = "CLASSROOM_TUI_BASE_URL"
ENV_APP_ID = "CLASSROOM_TUI_APP_ID"
ENV_UID = "CLASSROOM_TUI_UID"
ENV_TOKEN = "CLASSROOM_TUI_TOKEN"
ENV_APP_CERTIFICATE = "CLASSROOM_TUI_APP_CERTIFICATE"
ENV_AUTH_STYLE = "CLASSROOM_TUI_AUTH_STYLE"
ENV_PROFILE = "CLASSROOM_TUI_PROFILE"


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        f"Flags win over {ENV_BASE_URL}, {ENV_APP_ID}, {ENV_UID}, {ENV_TOKEN} (or "
        f"{ENV_APP_CERTIFICATE}), which win over the profile saved by `classroom-tui login`; "
        "secrets are only read from the environment or the keyring, never from a flag.",
    )
    # SUPPRESS: a flag not given leaves no attribute, so that the same flag given before the
    # subcommand (`classroom-tui --profile x events`) is not overwritten by the subcommand's
    # default. Readers use getattr(args, name, default).
    absent = argparse.SUPPRESS
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=absent,
        help=f"saved profile to use ({ENV_PROFILE}, else the active one)",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=absent,
        help=f"service URL or region cn|ap|na|eu ({DEFAULT_HOST})",
    )
    group.add_argument("--app-id", metavar="ID", default=absent, help="the App ID")
    group.add_argument(
        "--uid", metavar="UID", default=absent, help="the uid the token was made for"
    )
    group.add_argument(
        "--auth-style",
        choices=AUTH_STYLES,
        default=absent,
        help="how the token is sent (headers)",
    )
    group.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=absent, help="per request (10)"
    )


@dataclass(frozen=True)
class PartialConnection:
    """Connection fields gathered so far; any may still be missing."""

    base_url: str | None = None
    app_id: str | None = None
    uid: str | None = None
    token: str | None = field(default=None, repr=False)
    auth_style: AuthStyle | None = None
    certificate: str | None = field(default=None, repr=False)
    token_lifetime: int | None = None

    def missing(self) -> list[str]:
        names = {"base URL": self.base_url, "App ID": self.app_id, "uid": self.uid}
        names["token"] = self.token or self.certificate
        return [name for name, value in names.items() if not value]

    def over(self, lower: PartialConnection) -> PartialConnection:
        """These values, with gaps filled from `lower`."""
        return PartialConnection(
            base_url=self.base_url or lower.base_url,
            app_id=self.app_id or lower.app_id,
            uid=self.uid or lower.uid,
            token=self.token or lower.token,
            auth_style=self.auth_style or lower.auth_style,
            certificate=self.certificate or lower.certificate,
            token_lifetime=self.token_lifetime or lower.token_lifetime,
        )

    def has_secret(self) -> bool:
        return bool(self.token or self.certificate)


def from_flags(args: argparse.Namespace) -> PartialConnection:
    return PartialConnection(
        base_url=getattr(args, "base_url", None),
        app_id=getattr(args, "app_id", None),
        uid=getattr(args, "uid", None),
        auth_style=getattr(args, "auth_style", None),
    )


def from_environment(env: Mapping[str, str] | None = None) -> PartialConnection:
    env = os.environ if env is None else env
    style = env.get(ENV_AUTH_STYLE) or None
    if style is not None and style not in AUTH_STYLES:
        raise InvalidInput(f"{ENV_AUTH_STYLE} must be one of {', '.join(AUTH_STYLES)}")
    return PartialConnection(
        base_url=env.get(ENV_BASE_URL) or None,
        app_id=env.get(ENV_APP_ID) or None,
        uid=env.get(ENV_UID) or None,
        token=env.get(ENV_TOKEN) or None,
        auth_style=cast(AuthStyle | None, style),
        certificate=(env.get(ENV_APP_CERTIFICATE) or "").strip() or None,
    )


def from_profile(profile: Profile) -> PartialConnection:
    return PartialConnection(
        base_url=profile.base_url,
        app_id=profile.app_id,
        uid=profile.uid,
        auth_style=profile.auth_style,
        token_lifetime=profile.token_lifetime,
    )


def credentials() -> ModuleType:
    """The keyring module, imported on first use: importing keyring costs ~70 ms, which
    commands and a console given a token in the environment need not pay."""
    from .auth import credentials as module

    return module


def from_keyring(profile: Profile) -> PartialConnection:
    """The profile's secret: its App Certificate for certificate profiles, else its token."""
    if profile.uses_certificate:
        return PartialConnection(certificate=credentials().get_certificate(profile.name))
    return PartialConnection(token=credentials().get_token(profile.name))


def complete_settings(partial: PartialConnection, timeout: float = 10.0) -> ConnectionSettings:
    """ConnectionSettings from a complete PartialConnection, or InvalidInput naming the gaps."""
    missing = partial.missing()
    if missing:
        raise InvalidInput(
            f"no {', '.join(missing)} given: run `classroom-tui login`, or use "
            f"--base-url/--app-id/--uid and the {ENV_BASE_URL}/{ENV_APP_ID}/{ENV_UID}/"
            f"{ENV_TOKEN} variables"
        )
    assert partial.base_url and partial.app_id and partial.uid
    return ConnectionSettings(
        base_url=base_url_for(partial.base_url),
        app_id=partial.app_id,
        uid=partial.uid,
        token=partial.token or token_source_for(partial).current(),
        auth_style=partial.auth_style or "headers",
        timeout=timeout,
    )


def resolve_profile(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> Profile | None:
    """The profile a command uses: --profile, else CLASSROOM_TUI_PROFILE, else the active one.

    None when no profile is chosen and none is active. Raises InvalidInput for a named
    profile that is not saved, ConfigError for an unusable config.toml.
    """
    env = os.environ if env is None else env
    name = getattr(args, "profile", None) or env.get(ENV_PROFILE) or None
    config = load_config()
    if name is None:
        return config.active_profile()
    profile = config.profiles.get(name)
    if profile is None:
        login = "login" if name == DEFAULT_PROFILE else f"login --profile {name}"
        raise InvalidInput(
            f"no profile named {name!r} in {config_path()}: create it with `classroom-tui {login}`"
        )
    return profile


def resolve_settings(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> ConnectionSettings:
    """The connection for a command (see resolve_connection), without its token source."""
    return resolve_connection(args, env)[0]


def token_source_for(partial: PartialConnection) -> TokenSource:
    """A pasted token never changes; a certificate mints tokens and renews them before they
    expire, so a long `events --follow` or a console left open all day keeps working."""
    from .auth.rtm_token import DEFAULT_LIFETIME, TokenError
    from .auth.token_source import TokenSource

    if partial.token:
        return TokenSource.static(partial.token)
    assert partial.app_id and partial.uid and partial.certificate
    try:
        return TokenSource.minting(
            partial.app_id,
            partial.certificate,
            partial.uid,
            partial.token_lifetime or DEFAULT_LIFETIME,
        )
    except TokenError as error:
        raise InvalidInput(f"cannot mint a token from the App Certificate: {error}") from None


def resolve_connection(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> tuple[ConnectionSettings, TokenSource]:
    """The connection for a command: flags, environment, profile, then the keyring.

    The keyring (which may block on D-Bus) is only asked when no token or App Certificate
    came from the environment. An unusable config.toml or keyring raises CommandError (exit 1).
    """
    partial = from_flags(args).over(from_environment(env))
    try:
        profile = resolve_profile(args, env)
        if profile is not None:
            partial = partial.over(from_profile(profile))
            if not partial.has_secret():
                partial = partial.over(from_keyring(profile))
    except (ConfigError, credentials().CredentialStoreError) as error:
        raise CommandError(str(error)) from None
    timeout = getattr(args, "timeout", 10.0) or 10.0
    if partial.missing():
        complete_settings(partial, timeout)  # raises InvalidInput naming what is missing
    source = token_source_for(partial)
    return complete_settings(replace(partial, token=source.current()), timeout), source
