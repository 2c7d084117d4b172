"""`classroom-tui token mint|inspect`: make RTM tokens and show what a token holds."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime

from ..auth import credentials
from ..auth.rtm_token import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME,
    VERSION_007,
    ServiceInfo,
    TokenError,
    TokenInfo,
    build_rtm_token,
    decode_token,
)
from ..config import Profile
from ..settings import (
    ENV_APP_CERTIFICATE,
    ENV_APP_ID,
    ENV_PROFILE,
    ENV_TOKEN,
    ENV_UID,
    from_environment,
    from_flags,
    from_profile,
    resolve_profile,
)
from .exit_codes import EXIT_OK, EXIT_USAGE, CommandError

_KIND_NAMES = {"007": "AccessToken2 (007)", "006": "AccessToken (006, older format)"}
_PRIVILEGE_NAMES = {
    (2, 1): "login",
    (2, 1000): "login",
    (1, 1): "join channel",
    (1, 2): "publish audio",
    (1, 3): "publish video",
    (1, 4): "publish data",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "token",
        help="mint an RTM token or show what a token holds",
        description="Mint RTM tokens (AccessToken2) with the App Certificate, or inspect one.",
    )
    commands = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    _register_mint(commands)
    _register_inspect(commands)


def _register_mint(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mint = commands.add_parser(
        "mint",
        help="print a new RTM token",
        description=(
            f"Print a new RTM token. The App Certificate is read from {ENV_APP_CERTIFICATE}, "
            "else from the profile's OS keyring entry (`classroom-tui login --certificate`), "
            "never from a flag. App ID and uid: flags, then CLASSROOM_TUI_APP_ID and "
            "CLASSROOM_TUI_UID, then the profile."
        ),
    )
    # SUPPRESS: leave the same options given before `token` (top-level flags) in place.
    mint.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=f"profile to read from ({ENV_PROFILE}, else the active one)",
    )
    mint.add_argument(
        "--app-id",
        metavar="ID",
        default=argparse.SUPPRESS,
        help="the App ID (CLASSROOM_TUI_APP_ID)",
    )
    mint.add_argument(
        "--uid", metavar="UID", default=argparse.SUPPRESS, help="the RTM uid (CLASSROOM_TUI_UID)"
    )
    mint.add_argument(
        "--expire",
        metavar="SECONDS",
        help=(
            f"lifetime in seconds, 1 to {MAX_LIFETIME} (the profile's token_lifetime, "
            f"else {DEFAULT_LIFETIME})"
        ),
    )
    mint.set_defaults(handler=mint_command)


def _register_inspect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = commands.add_parser(
        "inspect",
        help="show what a token holds (no certificate needed)",
        description="Show what a 007 or 006 token holds. Its signature is not checked.",
    )
    inspect.add_argument(
        "token", nargs="?", metavar="TOKEN", help=f"the token, - for stdin (default: {ENV_TOKEN})"
    )
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.set_defaults(handler=inspect_command)


def _lifetime(value: str) -> int:
    try:
        seconds = int(value.strip())
    except ValueError:
        raise CommandError(
            f"--expire {value!r} is not a whole number of seconds (1 to {MAX_LIFETIME})",
            EXIT_USAGE,
        ) from None
    if seconds > MAX_LIFETIME:
        raise CommandError(
            f"--expire {seconds} is too long: a token lives at most {MAX_LIFETIME} seconds (24 h)",
            EXIT_USAGE,
        )
    if seconds < 1:
        raise CommandError(f"--expire must be at least 1 second, not {seconds}", EXIT_USAGE)
    return seconds


# ---------------------------------------------------------------- mint


def find_certificate(args: argparse.Namespace, profile: Profile | None = None) -> str | None:
    """The App Certificate to sign with: the environment, else the profile's keyring entry.

    The keyring (which may block on D-Bus) is only asked for certificate profiles."""
    from_env = os.environ.get(ENV_APP_CERTIFICATE, "").strip()
    if from_env:
        return from_env
    if profile is None or not profile.uses_certificate:
        return None
    return credentials.get_certificate(profile.name)


def _no_certificate_message(profile: Profile | None) -> str:
    if profile is None:
        return (
            f"no App Certificate: set {ENV_APP_CERTIFICATE} or save a certificate profile "
            "with `classroom-tui login --certificate`"
        )
    login = f"`classroom-tui login --profile {profile.name} --certificate`"
    if profile.uses_certificate:
        return (
            f"no App Certificate: profile {profile.name!r} has none in the OS keyring; "
            f"store it again with {login} or set {ENV_APP_CERTIFICATE}"
        )
    return (
        f"no App Certificate: profile {profile.name!r} holds a token, not a certificate; "
        f"set {ENV_APP_CERTIFICATE} or run {login}"
    )


def mint_command(args: argparse.Namespace) -> int:
    expire = _lifetime(args.expire) if args.expire is not None else None
    profile = resolve_profile(args)
    connection = from_flags(args).over(from_environment())
    if profile is not None:
        connection = connection.over(from_profile(profile))
    where = f"profile {profile.name!r} has none" if profile else "no profile chosen or active"
    if not connection.app_id:
        raise CommandError(f"no App ID: pass --app-id or set {ENV_APP_ID} ({where})", EXIT_USAGE)
    if not connection.uid:
        raise CommandError(f"no uid: pass --uid or set {ENV_UID} ({where})", EXIT_USAGE)
    certificate = find_certificate(args, profile)
    if certificate is None:
        raise CommandError(_no_certificate_message(profile), EXIT_USAGE)
    lifetime = expire or connection.token_lifetime or DEFAULT_LIFETIME
    try:
        token = build_rtm_token(connection.app_id, certificate, connection.uid, lifetime)
    except TokenError as error:
        raise CommandError(f"cannot mint a token: {error}", EXIT_USAGE) from None
    print(token)
    return EXIT_OK


# ---------------------------------------------------------------- inspect


def inspect_command(args: argparse.Namespace) -> int:
    text = _token_text(args.token)
    try:
        info = decode_token(text)
    except TokenError as error:
        raise CommandError(f"cannot read the token: {error}", EXIT_USAGE) from None
    if args.json:
        print(json.dumps(info.to_json(), indent=2))
    else:
        print("\n".join(describe_token(info)))
    return EXIT_OK


def _token_text(argument: str | None) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument:
        return argument
    from_env = os.environ.get(ENV_TOKEN, "")
    if not from_env.strip():
        raise CommandError(f"no token: pass TOKEN, - for stdin, or set {ENV_TOKEN}", EXIT_USAGE)
    return from_env


def describe_token(info: TokenInfo, now: float | None = None) -> list[str]:
    """Readable lines (label, value) for what a token holds."""
    now = time.time() if now is None else now
    services = ", ".join(_describe_service(info, s) for s in info.services) or "none"
    user = info.user_id if info.user_id is not None else "not stored (006 keeps only a checksum)"
    rows = [
        ("kind", _KIND_NAMES.get(info.version, info.version)),
        ("App ID", info.app_id),
        ("issued", _timestamp(info.issue_ts)),
        ("expires", f"{_timestamp(info.expire)}, {_expiry_state(info, now)}"),
        ("salt", str(info.salt)),
        ("services", services),
        ("user", user),
    ]
    return [f"{label + ':':<10}{value}" for label, value in rows]


def _describe_service(info: TokenInfo, service: ServiceInfo) -> str:
    privileges = [
        _describe_privilege(info, service.type, key, value)
        for key, value in sorted(service.privileges.items())
    ]
    return f"{service.type_name} ({'; '.join(privileges) or 'no privileges'})"


def _describe_privilege(info: TokenInfo, service_type: int, key: int, value: int) -> str:
    name = _PRIVILEGE_NAMES.get((service_type, key), f"privilege {key}")
    if info.version == VERSION_007:
        return f"{name} for {_duration(value)}"
    return f"{name} until {_timestamp(value)}"


def _expiry_state(info: TokenInfo, now: float) -> str:
    remaining = info.expires_in(now)
    if remaining <= 0:
        return f"expired {_duration(-remaining)} ago"
    return f"expires in {_duration(remaining)}"


def _timestamp(seconds: int) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _duration(seconds: float) -> str:
    """Rounded to the nearest unit: 45 s, 42 min, 3 h 5 min, 12 days."""
    if seconds < 120:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{round(seconds / 86400)} days"
