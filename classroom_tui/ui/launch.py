"""From command-line arguments to a running console: demo, flags/env, a saved profile, or the
login screen first. Config and keyring are read here, before `App.run()`, never on the UI loop."""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..api import ConnectionSettings, InvalidInput
from ..auth.credentials import CredentialStoreError
from ..auth.rtm_token import DEFAULT_LIFETIME
from ..auth.token_source import TokenSource
from ..cli.exit_codes import EXIT_OK, CommandError
from ..config import Config, ConfigError, load_config
from ..settings import (
    complete_settings,
    from_environment,
    from_flags,
    from_keyring,
    from_profile,
    resolve_profile,
    token_source_for,
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
    retention_days: int = 30
    retention_max_mb: int = 1024
    history_lines: int = 200
    # None: the user data dir; the demo keeps its journal in a temporary one.
    journal_dir: Path | None = None
    # A minting source when the connection came with an App Certificate (renews itself).
    token_source: TokenSource | None = field(default=None, repr=False)

    def app_kwargs(self) -> dict[str, Any]:
        return {
            "profile_name": self.profile_name,
            "keymap": self.keymap,
            "max_log_lines": self.max_log_lines,
            "poll_interval": self.poll_interval,
            "login_reason": self.login_reason,
            "retention_days": self.retention_days,
            "retention_max_mb": self.retention_max_mb,
            "history_lines": self.history_lines,
            "journal_dir": self.journal_dir,
            "token_source": self.token_source,
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
        retention_days=config.retention_days,
        retention_max_mb=config.retention_max_mb,
        history_lines=config.history_lines,
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
    # A pasted token wins; an App Certificate gives a source that renews before expiry.
    source = token_source_for(partial)
    timeout = getattr(args, "timeout", 10.0) or 10.0
    plan.settings = complete_settings(replace(partial, token=source.current()), timeout=timeout)
    plan.token_source = source if source.can_renew else None
    if not plan.profile_name:
        plan.profile_name = "(flags/env)"
    return plan


def run_console(args: argparse.Namespace) -> int:
    """The handler of `classroom-tui` without a subcommand."""
    # Textual is imported only when the console really opens: the headless commands stay fast.
    from .app import ClassroomApp

    with ExitStack() as stack:
        if getattr(args, "demo", False):
            # The sandbox (uvicorn, starlette: ~0.25 s) starts after the first frame, which
            # says "connecting" meanwhile.
            shell = LaunchPlan(settings=None, profile_name=DEMO_PROFILE, demo=True)
            app = ClassroomApp(None, **shell.app_kwargs(), prepare=lambda: demo_plan(stack))
        else:
            plan = plan_from_args(args)
            app = ClassroomApp(plan.settings, **plan.app_kwargs())
        app.run()
    return app.return_code or EXIT_OK


def demo_plan(stack: ExitStack, *, seed: int = DEMO_SEED, rate: float = DEMO_RATE) -> LaunchPlan:
    """Start a sandbox with simulated classes (stopped when `stack` closes)."""
    from ..sandbox import SandboxConfig, SandboxServer, SandboxStartError

    # The demo mints its tokens like a certificate profile, so renewal shows in the status line.
    certificate = secrets.token_hex(16)
    try:
        config = SandboxConfig(seed=seed, rate=rate, app_certificate=certificate)
        server = stack.enter_context(SandboxServer(config))
    except SandboxStartError as error:
        raise CommandError(f"the demo sandbox could not start: {error}") from None
    source = TokenSource.minting(config.app_id, certificate, config.uid, DEFAULT_LIFETIME)
    settings = ConnectionSettings(
        base_url=server.base_url, app_id=config.app_id, uid=config.uid, token=source.current()
    )
    # Each demo sandbox numbers its rooms' events from 1 again: a journal kept across demo runs
    # would take the new events for repeats. So the demo journals into a temporary folder.
    journal_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="classroom-demo-")))
    return LaunchPlan(
        settings=settings,
        profile_name=DEMO_PROFILE,
        demo=True,
        poll_interval=0.5,
        journal_dir=journal_dir,
        token_source=source,
    )
