"""`classroom-tui login | logout | info`: save profiles, keep their secrets in the OS keyring."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..api import InvalidInput
from ..auth import credentials
from ..auth.rtm_token import is_valid_certificate
from ..config import (
    AUTH_STYLES,
    DEFAULT_PROFILE,
    MAX_TOKEN_LIFETIME,
    Config,
    ConfigError,
    InvalidValue,
    Profile,
    base_url_for,
    config_path,
    data_dir,
    load_config,
    profile_name_problem,
    remove_profile,
    save_config,
    upsert_profile,
)
from ..settings import (
    ENV_APP_CERTIFICATE,
    ENV_APP_ID,
    ENV_AUTH_STYLE,
    ENV_BASE_URL,
    ENV_PROFILE,
    ENV_TOKEN,
    ENV_UID,
)
from .exit_codes import EXIT_OK, EXIT_USAGE, CommandError

_OVERRIDING_ENV = (
    ENV_BASE_URL,
    ENV_APP_ID,
    ENV_UID,
    ENV_TOKEN,
    ENV_APP_CERTIFICATE,
    ENV_AUTH_STYLE,
    ENV_PROFILE,
)
_MAX_SECRET_CHARS = 8192
_T = TypeVar("_T")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = subparsers.add_parser(
        "login",
        help="save a profile; its token (or App Certificate) goes to the OS keyring",
        description=(
            "Save a profile to config.toml and its secret to the OS keyring. Missing fields are "
            "asked on the terminal; the secret is read without echo, or as the first line of "
            "standard input when that is not a terminal."
        ),
    )
    login.add_argument("--profile", metavar="NAME", default=DEFAULT_PROFILE, help="(default)")
    login.add_argument("--base-url", metavar="URL|REGION", help="service URL or cn|ap|na|eu")
    login.add_argument("--app-id", metavar="ID", help="the App ID")
    login.add_argument("--uid", metavar="UID", help="the uid the token was made for")
    login.add_argument("--poll-interval", metavar="SECONDS", type=float, help="(2)")
    login.add_argument("--auth-style", choices=AUTH_STYLES, help="how the token is sent")
    login.add_argument(
        "--certificate",
        action="store_true",
        help="store the App Certificate instead of a token; tokens are then minted as needed",
    )
    login.add_argument(
        "--token-lifetime",
        metavar="SECONDS",
        type=int,
        help=f"lifetime of minted tokens, at most {MAX_TOKEN_LIFETIME} (3600)",
    )
    login.set_defaults(handler=run_login)

    logout = subparsers.add_parser(
        "logout",
        help="delete a profile's token and App Certificate from the OS keyring",
        description="Delete the profile's secrets from the OS keyring; the profile stays saved.",
    )
    logout.add_argument("--profile", metavar="NAME", help="(the active profile)")
    logout.add_argument("--forget", action="store_true", help="remove the profile from config too")
    logout.set_defaults(handler=run_logout)

    info = subparsers.add_parser(
        "info",
        help="show where config, data and secrets live, and the saved profiles",
        description="Show the config file, data folder, keyring backend and profiles (no secrets).",
    )
    info.set_defaults(handler=run_info)


# ---------------------------------------------------------------- login


def run_login(args: argparse.Namespace) -> int:
    name = args.profile
    if problem := profile_name_problem(name):
        raise InvalidInput(problem)
    config = _load()
    previous = config.profiles.get(name)
    ask = _asker(interactive=sys.stdin is not None and sys.stdin.isatty())
    profile = _profile_from(args, name, previous, ask)
    if (problem := credentials.availability_problem()) is not None:
        # A headless box without a Secret Service: keep the profile (no secret asked for or
        # written anywhere) so that the variable alone completes the connection.
        path = config_path()
        _save(upsert_profile(config, profile), path)
        variable = ENV_APP_CERTIFICATE if profile.uses_certificate else ENV_TOKEN
        raise CommandError(
            f"profile {name!r} saved to {path} without its secret, because {problem[0].lower()}"
            f"{problem[1:].rstrip('.')}; until then, set {variable} when you run classroom-tui"
        )
    secret = _read_secret(args.certificate, name)

    store = credentials.set_certificate if profile.uses_certificate else credentials.set_token
    stale = credentials.delete_token if profile.uses_certificate else credentials.delete_certificate
    _keyring(lambda: store(name, secret))
    replaced_kind = _keyring(lambda: stale(name))
    path = config_path()
    _save(upsert_profile(config, profile), path)

    kind = "App Certificate" if profile.uses_certificate else "token"
    key = (credentials.certificate_key if profile.uses_certificate else credentials.token_key)(name)
    print(f"profile {name!r} saved to {path} (active)")
    print(
        f"{kind} stored in the OS keyring ({_keyring(credentials.backend_name)}) as "
        f"service {credentials.KEYRING_SERVICE!r}, key {key!r}"
    )
    if replaced_kind:
        old = "token" if profile.uses_certificate else "App Certificate"
        print(f"the profile's previous {old} was deleted from the keyring")
    return EXIT_OK


def _profile_from(
    args: argparse.Namespace,
    name: str,
    previous: Profile | None,
    ask: Callable[[str, str], str],
) -> Profile:
    """The profile from flags, then the saved profile of that name, then questions."""

    def pick(flag: Any, attribute: str) -> Any:
        if flag is not None:
            return flag
        # Without a saved profile, the class supplies the defaults of the fields that have one.
        return getattr(previous if previous else Profile, attribute, None)

    try:
        return Profile(
            name=name,
            base_url=base_url_for(
                pick(args.base_url, "base_url") or ask("base URL or region", "--base-url")
            ),
            app_id=(pick(args.app_id, "app_id") or ask("App ID", "--app-id")).strip(),
            uid=(pick(args.uid, "uid") or ask("uid", "--uid")).strip(),
            poll_interval=pick(args.poll_interval, "poll_interval"),
            auth_style=pick(args.auth_style, "auth_style"),
            token_lifetime=pick(args.token_lifetime, "token_lifetime"),
            uses_certificate=args.certificate,
        )
    except InvalidValue as error:
        raise InvalidInput(str(error)) from None


def _asker(interactive: bool) -> Callable[[str, str], str]:
    def ask(label: str, flag: str) -> str:
        if not interactive:
            raise InvalidInput(f"no {label} given: pass {flag}")
        try:
            answer = input(f"{label[:1].upper()}{label[1:]}: ").strip()
        except EOFError:
            raise CommandError("login cancelled", EXIT_USAGE) from None
        if not answer:
            raise InvalidInput(f"no {label} given")
        return answer

    return ask


def _read_secret(certificate: bool, name: str) -> str:
    kind = "App Certificate" if certificate else "token"
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            secret = getpass.getpass(f"{kind} for profile {name!r} (not shown): ")
        except EOFError:
            raise CommandError("login cancelled", EXIT_USAGE) from None
    else:
        secret = sys.stdin.readline(_MAX_SECRET_CHARS + 2) if sys.stdin is not None else ""
    secret = secret.strip()
    if not secret:
        raise InvalidInput(f"no {kind} given (type it at the prompt, or pipe it on stdin)")
    if certificate and not is_valid_certificate(secret):
        raise InvalidInput("the App Certificate must be 32 hexadecimal characters")
    if len(secret) > _MAX_SECRET_CHARS or any(character.isspace() for character in secret):
        raise InvalidInput(f"that does not look like a {kind}: it has spaces or is too long")
    return secret


# ---------------------------------------------------------------- logout


def run_logout(args: argparse.Namespace) -> int:
    name: str | None = args.profile
    config: Config | None = None
    if name is None or args.forget:
        config = _load()
        name = name or config.active or DEFAULT_PROFILE
    if problem := profile_name_problem(name):
        raise InvalidInput(problem)
    profile_name = name
    deleted = []
    if _keyring(lambda: credentials.delete_token(profile_name)):
        deleted.append("token")
    if _keyring(lambda: credentials.delete_certificate(profile_name)):
        deleted.append("App Certificate")
    if deleted:
        print(f"deleted the {' and '.join(deleted)} of profile {name!r} from the OS keyring")
    else:
        print(f"the OS keyring held no token or App Certificate for profile {name!r}")
    if args.forget:
        assert config is not None
        if name in config.profiles:
            path = config_path()
            _save(remove_profile(config, name), path)
            print(f"profile {name!r} removed from {path}")
        else:
            print(f"no profile named {name!r} was saved in {config_path()}")
    return EXIT_OK


# ---------------------------------------------------------------- info


def run_info(args: argparse.Namespace) -> int:
    config = _load()
    print(f"config file:  {config_path()}{'' if config_path().exists() else ' (not created yet)'}")
    print(f"data folder:  {data_dir()}")
    problem = credentials.availability_problem()
    if problem is None:
        print(f"keyring:      {credentials.backend_name()}")
    else:
        print(f"keyring:      unavailable: {problem}")
    overriding = [name for name in _OVERRIDING_ENV if os.environ.get(name)]
    if overriding:
        print(f"environment:  {', '.join(overriding)} set (these win over the profile)")
    if not config.profiles:
        print("profiles:     none yet; create one with `classroom-tui login`")
        return EXIT_OK
    print("profiles:")
    for profile in config.profiles.values():
        _print_profile(profile, active=profile.name == config.active, keyring_ok=problem is None)
    return EXIT_OK


def _print_profile(profile: Profile, active: bool, keyring_ok: bool) -> None:
    marker = "* " if active else "  "
    print(f"{marker}{profile.name}{' (active)' if active else ''}")
    rows = {
        "base URL": profile.base_url,
        "App ID": profile.app_id,
        "uid": profile.uid,
        "auth style": profile.auth_style,
        "poll every": f"{profile.poll_interval:g} s",
    }
    if profile.uses_certificate:
        rows["tokens"] = f"minted from the App Certificate, valid {profile.token_lifetime} s"
        kind, stored = "App Certificate", credentials.get_certificate
    else:
        kind, stored = "token", credentials.get_token
    rows[kind] = _secret_state(stored, profile.name) if keyring_ok else "unknown (no keyring)"
    for label, value in rows.items():
        print(f"    {label + ':':<17}{value}")


# ---------------------------------------------------------------- shared


def _secret_state(get: Callable[[str], str | None], name: str) -> str:
    try:
        return "stored in keyring" if get(name) else "not stored"
    except credentials.CredentialStoreError as error:
        return f"unknown ({error})"


def _load() -> Config:
    try:
        return load_config()
    except ConfigError as error:
        raise CommandError(str(error)) from None


def _save(config: Config, path: Path) -> None:
    try:
        save_config(config, path)
    except ConfigError as error:
        raise CommandError(str(error)) from None


def _keyring(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except credentials.CredentialStoreError as error:
        raise CommandError(str(error)) from None
