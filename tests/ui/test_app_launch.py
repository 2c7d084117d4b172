"""From arguments, environment and config.toml to the console: straight to the log when the
connection is complete, the login screen first otherwise, the keymap from config applied."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from classroom_tui.cli import build_parser
from classroom_tui.cli.exit_codes import CommandError
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp, stylesheet_paths
from classroom_tui.ui.launch import plan_from_args

MakeApp = Callable[..., ClassroomApp]


def args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def write_config(text: str) -> Path:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "classroom-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def full_env(server: SandboxServer) -> dict[str, str]:
    return {
        "CLASSROOM_TUI_BASE_URL": server.base_url,
        "CLASSROOM_TUI_APP_ID": server.config.app_id,
        "CLASSROOM_TUI_UID": server.config.uid,
        "CLASSROOM_TUI_TOKEN": server.config.token,
    }


def test_whole_connection_from_env_opens_the_console(sandbox: SandboxServer) -> None:
    plan = plan_from_args(args(), full_env(sandbox))
    assert plan.settings is not None and plan.settings.app_id == sandbox.config.app_id
    assert plan.login_reason is None


def test_flags_win_over_env(sandbox: SandboxServer) -> None:
    plan = plan_from_args(args("--app-id", "other-app"), full_env(sandbox))
    assert plan.settings is not None and plan.settings.app_id == "other-app"


def test_nothing_given_means_login_first() -> None:
    plan = plan_from_args(args(), {})
    assert plan.settings is None


def test_unknown_profile_asks_for_login_naming_it() -> None:
    plan = plan_from_args(args("--profile", "night-shift"), {})
    assert plan.settings is None
    assert plan.login_reason is not None and "night-shift" in plan.login_reason
    assert plan.profile_name == "night-shift"


def test_config_keymap_and_preferences_reach_the_app(sandbox: SandboxServer) -> None:
    write_config('max_log_lines = 300\npoll_interval = 1.5\n[keymap]\n"log.pause" = "space"\n')
    plan = plan_from_args(args(), full_env(sandbox))
    assert plan.keymap == {"log.pause": "space"}
    assert plan.max_log_lines == 300 and plan.poll_interval == 1.5


def test_corrupt_config_is_one_clear_error() -> None:
    path = write_config("max_log_lines = = 3\n")
    with pytest.raises(CommandError) as caught:
        plan_from_args(args(), {})
    assert str(path) in str(caught.value) and "line 1" in str(caught.value)


async def test_keymap_from_config_applies_in_the_app(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    write_config('[keymap]\n"log.pause" = "space"\n"app.help" = "f1"\n')
    plan = plan_from_args(args(), full_env(sandbox))
    app = make_app(plan.settings, **{**plan.app_kwargs(), "poll_interval": 0.5})
    async with app.run_test(size=kit.SIZE) as pilot:
        await pilot.press("space")
        assert app.log_pane.paused
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"


async def test_unknown_keymap_id_is_reported(
    sandbox: SandboxServer, make_app: MakeApp, kit: Any
) -> None:
    app = make_app(sandbox.settings, keymap={"log.pasue": "space"})
    async with app.run_test(size=kit.SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("log.pasue" in message for message in messages)


async def test_without_connection_the_login_screen_comes_first(make_app: MakeApp, kit: Any) -> None:
    app = make_app(None)
    async with app.run_test(size=kit.SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "LoginScreen"
        assert app.client is None


def test_every_stylesheet_is_found() -> None:
    names = {Path(path).name for path in stylesheet_paths()}
    assert {"app.tcss", "log.tcss"} <= names


def test_a_certificate_gives_a_renewing_token_source(sandbox: SandboxServer) -> None:
    env = {**full_env(sandbox), "CLASSROOM_TUI_APP_CERTIFICATE": "ab" * 16}
    del env["CLASSROOM_TUI_TOKEN"]
    plan = plan_from_args(args(), env)
    assert plan.settings is not None and plan.token_source is not None
    assert plan.token_source.can_renew and plan.token_source.expires_at is not None
    assert plan.app_kwargs()["token_source"] is plan.token_source
    # A pasted token wins over the certificate, and is never renewed.
    plan = plan_from_args(args(), {**env, "CLASSROOM_TUI_TOKEN": "pasted"})
    assert plan.token_source is None and plan.settings is not None
    assert plan.settings.token == "pasted"
