"""Shared fixtures.

- every test runs with XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_CACHE_HOME / XDG_STATE_HOME in a
  temporary directory, so no test touches the real user's files;
- `sandbox`: a running `SandboxServer` (seeded world, seed 1234, no simulation, no faults,
  auto-created rooms on), in a fresh state for every test (one server per test session, reset
  in place before each test: a new world, counters and fault spec); `sandbox.base_url`,
  `sandbox.settings` (ConnectionSettings), `sandbox.headers` (auth headers),
  `sandbox.world` (thread-safe via `world.lock`), `sandbox.stats()`, `sandbox.reset(config)`;
- `sandbox_settings`: the `ConnectionSettings` of `sandbox`;
- `sandbox_factory(**config_fields)`: starts another sandbox with those `SandboxConfig` fields;
  stopped after the test;
- `sandbox_client`: an open `ClassroomClient` for `sandbox` (no retries);
- `sandbox_http`: an `httpx.AsyncClient` with `sandbox`'s base URL and auth headers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from classroom_tui.api import NO_RETRY, ClassroomClient, ConnectionSettings
from classroom_tui.sandbox import SandboxConfig, SandboxServer

# The real Secret Service fixtures (`secret_service`, `real_keyring`), registered once here so
# that a single gnome-keyring-daemon serves the whole session.
pytest_plugins = ["keyring_session"]

SANDBOX_TEST_SEED = 1234


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base: Path = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = base / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    for name in (
        "CLASSROOM_TUI_BASE_URL",
        "CLASSROOM_TUI_APP_ID",
        "CLASSROOM_TUI_UID",
        "CLASSROOM_TUI_TOKEN",
        "CLASSROOM_TUI_APP_CERTIFICATE",
        "CLASSROOM_TUI_PROFILE",
        "CLASSROOM_TUI_AUTH_STYLE",
    ):
        monkeypatch.delenv(name, raising=False)
    return base


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., SandboxServer]]:
    servers: list[SandboxServer] = []

    def start(**fields: Any) -> SandboxServer:
        fields.setdefault("seed", SANDBOX_TEST_SEED)
        server = SandboxServer(SandboxConfig(**fields)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def _shared_sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(seed=SANDBOX_TEST_SEED)).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(_shared_sandbox: SandboxServer) -> SandboxServer:
    _shared_sandbox.reset(SandboxConfig(seed=SANDBOX_TEST_SEED))
    if not _shared_sandbox.running:  # a test stopped it: start it again (on a new port)
        _shared_sandbox.start()
    return _shared_sandbox


@pytest.fixture
def sandbox_settings(sandbox: SandboxServer) -> ConnectionSettings:
    return sandbox.settings


@pytest.fixture
async def sandbox_client(sandbox: SandboxServer) -> AsyncIterator[ClassroomClient]:
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        yield client


@pytest.fixture
async def sandbox_http(sandbox: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=sandbox.base_url, headers=sandbox.headers, timeout=10
    ) as http:
        yield http
