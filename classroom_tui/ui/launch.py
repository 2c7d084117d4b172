"""From command-line arguments to a running console: demo, flags/env, a saved profile, or the
login screen first. Config and keyring are read here, before `App.run()`, never on the UI loop."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from ..api import ConnectionSettings, InvalidInput
from ..auth.credentials import CredentialStoreError
from ..cli.exit_codes import EXIT_OK, CommandError
from ..config import Config, ConfigError, load_config
from ..settings import (
    complete_settings,
    from_environment,
    from_flags,
    from_keyring,
    from_profile,
    resolve_profile,
)

DEMO_SEED = 7
DEMO_RATE = 2.0
DEMO_PROFILE = "demo"


@dataclass
class LaunchPlan:
    """Everything the app needs; `settings` None means: open the login screen first."""

    settings: ConnectionSettings | None
    profile_name: str = ""
    login_reason: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    max_log_lines: int = 10_000
    poll_interval: float | None = None
    demo: bool = False

    def app_kwargs(self) -> dict[str, Any]:
        return {
            "profile_name": self.profile_name,
            "keymap": self.keymap,
            "max_log_lines": self.max_log_lines,
            "poll_interval": self.poll_interval,
            "login_reason": self.login_reason,
        }


def _load_config() -> Config:
    try:
        return load_config()
    except ConfigError as error:
        raise CommandError(str(error)) from None


def plan_from_args(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> LaunchPlan:
    """Where to connect: flags over CLASSROOM_TUI_* over the profile (secret from the keyring).
    Whatever is missing is asked for by the login screen."""
    env = os.environ if env is None else env
    config = _load_config()
    plan = LaunchPlan(
        settings=None,
        keymap=dict(config.keymap),
        max_log_lines=config.max_log_lines,
        poll_interval=config.poll_interval,
    )
    partial = from_flags(args).over(from_environment(env))
    try:
        profile = resolve_profile(args, env)
    except InvalidInput as error:
        plan.profile_name = getattr(args, "profile", None) or ""
        plan.login_reason = str(error)
        return plan
    except ConfigError as error:
        raise CommandError(str(error)) from None
    if profile is not None:
        plan.profile_name = profile.name
        plan.poll_interval = profile.poll_interval
        partial = partial.over(from_profile(profile))
        if not partial.has_secret():
            try:
                partial = partial.over(from_keyring(profile))
            except CredentialStoreError as error:
                plan.login_reason = str(error)
                return plan
    missing = partial.missing()
    if missing:
        if profile is not None:
            plan.login_reason = f"profile {profile.name!r} has no {', '.join(missing)}"
        return plan
    plan.settings = complete_settings(partial, timeout=getattr(args, "timeout", 10.0) or 10.0)
    if not plan.profile_name:
        plan.profile_name = "(flags/env)"
    return plan


def run_console(args: argparse.Namespace) -> int:
    """The handler of `classroom-tui` without a subcommand."""
    # Textual is imported only when the console really opens: the headless commands stay fast.
    from .app import ClassroomApp

    with ExitStack() as stack:
        plan = demo_plan(stack) if getattr(args, "demo", False) else plan_from_args(args)
        app = ClassroomApp(plan.settings, **plan.app_kwargs())
        app.run()
    return app.return_code or EXIT_OK


def demo_plan(stack: ExitStack, *, seed: int = DEMO_SEED, rate: float = DEMO_RATE) -> LaunchPlan:
    """Start a sandbox with simulated classes (stopped when `stack` closes)."""
    from ..sandbox import SandboxConfig, SandboxServer, SandboxStartError

    try:
        server = stack.enter_context(SandboxServer(SandboxConfig(seed=seed, rate=rate)))
    except SandboxStartError as error:
        raise CommandError(f"the demo sandbox could not start: {error}") from None
    config = server.config
    settings = ConnectionSettings(
        base_url=server.base_url, app_id=config.app_id, uid=config.uid, token=config.token
    )
    return LaunchPlan(settings=settings, profile_name=DEMO_PROFILE, demo=True, poll_interval=0.5)
