"""A real terminal for the benchmarks: a private tmux server, one session per process.

tmux is a complete terminal emulator, so "what is on screen" is what `capture-pane` returns,
for the console and the baseline alike. Each poll costs one `tmux` process (~3-4 ms here),
which bounds the time resolution of every on-screen measurement."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence

WIDTH = 160
HEIGHT = 48


class TmuxTimeout(RuntimeError):
    pass


class TmuxServer:
    def __init__(self, name: str | None = None) -> None:
        self.name = name or f"classroom-bench-{os.getpid()}"
        self._count = 0

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def _keep_alive(self) -> None:
        """A session that lives as long as the server: tmux exits with its last session, and
        a new session started while it shuts down fails ("server exited unexpectedly")."""
        if self._count == 0:
            self.tmux("new-session", "-d", "-s", "keeper", "sleep 86400")

    def start(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        width: int = WIDTH,
        height: int = HEIGHT,
    ) -> Pane:
        """Start `argv` in a new detached session; returns at once (the clock is the caller's)."""
        self._keep_alive()
        self._count += 1
        session = f"s{self._count}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = f"exec env {exports} {shlex.join(argv)}"
        self.tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command)
        self.tmux("set-option", "-t", session, "remain-on-exit", "on")
        return Pane(self, session)

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


class Pane:
    def __init__(self, server: TmuxServer, session: str) -> None:
        self.server = server
        self.session = session

    @property
    def pid(self) -> int:
        return int(self.server.tmux("display-message", "-p", "-t", self.session, "#{pane_pid}"))

    def capture(self) -> str:
        return self.server.tmux("capture-pane", "-p", "-t", self.session)

    def send(self, *keys: str) -> None:
        self.server.tmux("send-keys", "-t", self.session, *keys)

    def send_text(self, text: str) -> None:
        self.server.tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(
        self, predicate: Callable[[str], bool], timeout: float, what: str = "the screen"
    ) -> tuple[float, str]:
        """Poll until `predicate(screen)`; returns (perf_counter when seen, screen)."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.capture()
            now = time.perf_counter()
            if predicate(screen):
                return now, screen
            if now > deadline:
                tail = "\n".join(screen.splitlines()[:6])
                raise TmuxTimeout(f"timed out after {timeout:g} s waiting for {what}:\n{tail}")

    def close(self) -> None:
        self.server.tmux("kill-session", "-t", self.session, check=False)
