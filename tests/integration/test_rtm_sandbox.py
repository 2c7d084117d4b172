"""RTM tokens against a sandbox that holds an App Certificate: what it accepts and refuses, and
a client that keeps working across a token renewal."""

from __future__ import annotations

import asyncio
import base64
import time
import zlib
from collections.abc import Callable

import httpx
import pytest

from classroom_tui.api import (
    NO_RETRY,
    AuthenticationFailed,
    AuthStyle,
    ClassroomClient,
    ConnectionSettings,
)
from classroom_tui.auth.rtm_token import (
    BadSignature,
    MalformedToken,
    TokenError,
    TokenExpired,
    WrongAppId,
    WrongUser,
    build_rtm_token,
    verify_rtm_token,
)
from classroom_tui.auth.token_source import TokenSource
from classroom_tui.sandbox import SandboxServer

CERT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
OTHER_CERT = "ffeeddccbbaa99887766554433221100"
OTHER_APP_ID = "00112233445566778899aabbccddeeff"
ROOM = "token room"

Factory = Callable[..., SandboxServer]


@pytest.fixture
def server(sandbox_factory: Factory) -> SandboxServer:
    return sandbox_factory(app_certificate=CERT)


def settings_for(
    server: SandboxServer, token: str, style: AuthStyle = "headers"
) -> ConnectionSettings:
    return server.settings_with(token=token, auth_style=style)


def mint(server: SandboxServer, **overrides: object) -> str:
    values: dict[str, object] = {
        "app_id": server.config.app_id,
        "app_certificate": CERT,
        "user_id": server.config.uid,
        "expire": 600,
    }
    values.update(overrides)
    return build_rtm_token(**values)  # type: ignore[arg-type]


async def use_every_endpoint(client: ClassroomClient) -> None:
    await client.set_class_state(ROOM, 1)
    await client.set_recording_state(ROOM, 1)
    await client.set_recording_state(ROOM, 2)
    page = await client.list_records(ROOM)
    assert len(page.records) == 1
    events = await client.poll_events()
    assert {event.room_uuid for event in events} >= {ROOM}


def test_the_sandbox_app_id_is_shaped_for_tokens(server: SandboxServer) -> None:
    assert len(server.config.app_id) == 32
    int(server.config.app_id, 16)


@pytest.mark.parametrize("style", ["headers", "authorization"])
async def test_a_token_minted_by_the_client_works_on_every_endpoint(
    server: SandboxServer, style: AuthStyle
) -> None:
    settings = settings_for(server, mint(server), style)
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        await use_every_endpoint(client)


@pytest.mark.parametrize("style", ["headers", "authorization"])
async def test_a_minting_token_source_works_on_every_endpoint(
    server: SandboxServer, style: AuthStyle
) -> None:
    source = TokenSource.minting(server.config.app_id, CERT, server.config.uid, 3600)
    settings = settings_for(server, "unused-placeholder", style)
    async with ClassroomClient(settings, retry=NO_RETRY, token_provider=source.current) as client:
        await use_every_endpoint(client)


def tampered(token: str) -> str:
    payload = bytearray(zlib.decompress(base64.b64decode(token[3:])))
    payload[-1] ^= 0x01  # the last byte of the uid, covered by the signature
    return "007" + base64.b64encode(zlib.compress(bytes(payload))).decode()


def refused_tokens(server: SandboxServer) -> dict[str, str]:
    now = int(time.time())
    return {
        "tampered": tampered(mint(server)),
        "expired": mint(server, issue_ts=now - 700),
        "another uid": mint(server, user_id="someone-else"),
        "another App ID": mint(server, app_id=OTHER_APP_ID),
        "another certificate": mint(server, app_certificate=OTHER_CERT),
        "plain static string": server.config.token,
        "garbage 007": "007" + "A" * 40,
    }


REFUSED = [
    "tampered",
    "expired",
    "another uid",
    "another App ID",
    "another certificate",
    "plain static string",
    "garbage 007",
]


REASONS: dict[str, type[TokenError]] = {
    "tampered": BadSignature,
    "expired": TokenExpired,
    "another uid": WrongUser,
    "another App ID": WrongAppId,
    "another certificate": BadSignature,
    "plain static string": MalformedToken,
    "garbage 007": MalformedToken,
}


@pytest.mark.parametrize("kind", REFUSED)
def test_each_refused_token_is_bad_for_the_reason_it_stands_for(
    server: SandboxServer, kind: str
) -> None:
    with pytest.raises(REASONS[kind]):
        verify_rtm_token(
            refused_tokens(server)[kind],
            app_id=server.config.app_id,
            app_certificate=CERT,
            user_id=server.config.uid,
        )


@pytest.mark.parametrize("style", ["headers", "authorization"])
@pytest.mark.parametrize("kind", REFUSED)
async def test_bad_tokens_are_refused_with_401_that_never_shows_them(
    server: SandboxServer, kind: str, style: AuthStyle
) -> None:
    token = refused_tokens(server)[kind]
    async with ClassroomClient(settings_for(server, token, style), retry=NO_RETRY) as client:
        calls = {
            "poll": client.poll_events(),
            "records": client.list_records(ROOM),
            "class": client.set_class_state(ROOM, 1),
            "recording": client.set_recording_state(ROOM, 1),
        }
        for name, call in calls.items():
            with pytest.raises(AuthenticationFailed) as raised:
                await call
            error = raised.value
            assert error.http_status == 401, name
            for text in (str(error), error.describe(), error.server_msg or ""):
                assert token not in text
                assert CERT not in text
    # Refused requests changed nothing: the room was never created, no event was handed out.
    assert ROOM not in server.world.rooms
    assert server.stats()["handedOut"] == 0


async def test_the_token_for_the_right_uid_is_refused_under_another_uid_header(
    server: SandboxServer,
) -> None:
    settings = server.settings_with(token=mint(server), uid="someone-else")
    async with ClassroomClient(settings, retry=NO_RETRY) as client:
        with pytest.raises(AuthenticationFailed):
            await client.poll_events()


async def test_raw_authorization_header_forms(server: SandboxServer) -> None:
    token = mint(server)
    uid = {"x-agora-uid": server.config.uid}
    url = f"{server.base_url}/edu/polling/apps/{server.config.app_id}/v2/rooms/sequences"
    async with httpx.AsyncClient(timeout=10) as http:
        good = await http.get(url, headers={**uid, "Authorization": f"agora token={token}"})
        assert good.status_code == 200, good.text
        for header in (f"Bearer {token}", f"agora token={tampered(token)}", "agora token="):
            refused = await http.get(url, headers={**uid, "Authorization": header})
            assert refused.status_code == 401
            assert token not in refused.text
        missing_uid = await http.get(url, headers={"x-agora-token": token})
        assert missing_uid.status_code == 401


async def test_client_keeps_working_across_renewals(server: SandboxServer) -> None:
    lifetime = 3  # renewed once less than 1.5 s is left
    source = TokenSource.minting(server.config.app_id, CERT, server.config.uid, lifetime)
    sent: list[str] = []

    def provider() -> str:
        token = source.current()
        sent.append(token)
        return token

    first = source.current()
    deadline = time.monotonic() + 2 * lifetime + 0.5
    async with ClassroomClient(
        settings_for(server, "unused-placeholder"), retry=NO_RETRY, token_provider=provider
    ) as client:
        while time.monotonic() < deadline:
            await client.poll_events()  # raises AuthenticationFailed on any 401
            await asyncio.sleep(0.2)
        assert len(set(sent)) >= 3  # the first token and at least two renewals
        # Without renewal the client would now be locked out: the first token has expired.
        stale = settings_for(server, first)
        async with ClassroomClient(stale, retry=NO_RETRY) as stale_client:
            with pytest.raises(AuthenticationFailed):
                await stale_client.poll_events()


async def test_renew_after_a_401_gets_back_in(server: SandboxServer) -> None:
    """What a console holding the certificate does after a 401: renew once and retry."""
    source = TokenSource.minting(server.config.app_id, CERT, server.config.uid, 600)
    token = source.current()
    rejected = tampered(token)
    async with ClassroomClient(settings_for(server, rejected), retry=NO_RETRY) as client:
        with pytest.raises(AuthenticationFailed):
            await client.poll_events()
    renewed = source.renew()
    assert renewed != token
    async with ClassroomClient(settings_for(server, renewed), retry=NO_RETRY) as client:
        await client.poll_events()


def test_a_sandbox_without_certificate_still_takes_its_static_token(
    sandbox: SandboxServer,
) -> None:
    answer = httpx.get(
        f"{sandbox.base_url}/edu/polling/apps/{sandbox.config.app_id}/v2/rooms/sequences",
        headers=sandbox.headers,
    )
    assert answer.status_code == 200
