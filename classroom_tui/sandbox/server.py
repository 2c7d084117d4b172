"""Running the sandbox: uvicorn in a background thread, on a socket we bind ourselves."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from typing import Any

import uvicorn

from ..api.connection import ConnectionSettings
from .app import SandboxApp
from .config import SandboxConfig
from .world import JsonObject, World

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0

# Logging off: the uvicorn loggers get no handler and do not propagate, so nothing is printed
# into a terminal UI. Other loggers of the process are left alone.
QUIET_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {
        name: {"handlers": ["null"], "level": "CRITICAL", "propagate": False}
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    },
}


class SandboxStartError(RuntimeError):
    """The sandbox could not start (for example: the port is in use)."""


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and without
    # it every answer (headers, then body) waits out the peer's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError as error:
        sock.close()
        reason = error.strerror or str(error)
        raise SandboxStartError(f"cannot listen on {host}:{port}: {reason}") from None
    return sock


class SandboxServer:
    """`with SandboxServer(SandboxConfig(...)) as server: server.base_url`."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.app = SandboxApp(self.config)
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.port = self.config.port

    # -- what clients need --------------------------------------------------------------

    @property
    def world(self) -> World:
        return self.app.world

    @property
    def base_url(self) -> str:
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    @property
    def settings(self) -> ConnectionSettings:
        """Connection settings that match this sandbox's base URL and credentials."""
        return self.settings_with()

    def settings_with(self, **overrides: Any) -> ConnectionSettings:
        values: dict[str, Any] = {
            "base_url": self.base_url,
            "app_id": self.config.app_id,
            "uid": self.config.uid,
            "token": self.config.token,
        }
        values.update(overrides)
        return ConnectionSettings(**values)

    @property
    def headers(self) -> dict[str, str]:
        return {"x-agora-uid": self.config.uid, "x-agora-token": self.config.token}

    def stats(self) -> JsonObject:
        return self.world.stats()

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> SandboxServer:
        if self._thread is not None:
            return self
        sock = bind_socket(self.config.host, self.config.port)
        self._socket = sock
        self.port = sock.getsockname()[1]
        log_config = None if self.config.log_requests else QUIET_LOG_CONFIG
        uv_config = uvicorn.Config(
            self.app.asgi,
            lifespan="on",
            log_config=log_config,
            access_log=self.config.log_requests,
            http="h11",
            ws="none",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(uv_config)
        self.app.stopping.clear()
        self._thread = threading.Thread(target=self._run, name="classroom-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise SandboxStartError(f"the sandbox did not start: {self._error!r}")
            time.sleep(0.01)
        return self

    def _run(self) -> None:
        assert self._server is not None and self._socket is not None
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        except BaseException as error:  # reported by start(); the thread must end quietly
            self._error = error

    def stop(self) -> None:
        self.app.stopping.set()
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(STOP_TIMEOUT)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(STOP_TIMEOUT)
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
        self._server = self._thread = self._socket = None

    def reset(self, config: SandboxConfig | None = None) -> None:
        """Start over in place (fresh world, counters, faults and simulation) without
        restarting the server: `config` (default: the current one) keeps host and port."""
        config = config or self.config
        config.host, config.port = self.config.host, self.config.port
        self.config = config
        self.app.reset(config)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
