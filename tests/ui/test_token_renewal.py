"""Certificate profiles: the console mints its tokens and renews them before they expire; a
console holding only a pasted token ends on the login screen when it expires. Against a
sandbox that verifies RTM tokens (started with an App Certificate)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from classroom_tui.auth.rtm_token import build_rtm_token
from classroom_tui.auth.token_source import TokenSource
from classroom_tui.sandbox import SandboxServer
from classroom_tui.ui.app import ClassroomApp

MakeApp = Callable[..., ClassroomApp]
CERTIFICATE = "0123456789abcdef0123456789abcdef"
LIFETIME = 3


async def test_a_console_with_the_certificate_renews_and_keeps_polling(
    sandbox_factory: Callable[..., SandboxServer], make_app: MakeApp, kit: Any
) -> None:
    server = sandbox_factory(app_certificate=CERTIFICATE)
    config = server.config
    source = TokenSource.minting(config.app_id, CERTIFICATE, config.uid, LIFETIME)
    first_expiry = source.expires_at
    settings = server.settings_with(token=source.current())
    app = make_app(settings, token_source=source)
    async with app.run_test(size=(120, 36)) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "live")
        assert re.search(r"│ token [0-3]s$", str(app.status_line.render()))
        deadline = time.monotonic() + 2.5 * LIFETIME
        sent = 0
        while time.monotonic() < deadline:
            kit.inject(server, [kit.chat("Math 101", "Ann", f"tick {sent}")])
            sent += 1
            await pilot.pause(0.25)
        await kit.wait_for(pilot, lambda: len(app.log_pane.buffer.rows) == sent)
        assert app.status.errors == 0 and app.status.state == "live"
        assert type(app.screen).__name__ != "LoginScreen"
    assert source.expires_at is not None and first_expiry is not None
    assert source.expires_at >= first_expiry + LIFETIME  # renewed more than once
    assert server.stats()["requestsByStatus"].get("401", 0) == 0


async def test_a_console_without_the_certificate_goes_to_login_when_it_expires(
    sandbox_factory: Callable[..., SandboxServer], make_app: MakeApp, kit: Any
) -> None:
    server = sandbox_factory(app_certificate=CERTIFICATE)
    config = server.config
    token = build_rtm_token(config.app_id, CERTIFICATE, config.uid, 2)
    app = make_app(server.settings_with(token=token))
    async with app.run_test(size=(120, 36)) as pilot:
        await kit.wait_for(pilot, lambda: app.status.state == "live")
        assert "token " in str(app.status_line.render())
        await kit.wait_for(pilot, lambda: app.status.state == "auth failed", timeout=8)
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "LoginScreen"
