"""The console as a user runs it (flags/env, fresh user dirs) in tmux, against a sandbox
process; plus where its journal is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from harness import UserDirs, console_argv
from sandbox_proc import SandboxProcess
from tmux_term import Pane, TmuxServer

LIVE = "● live"


class ConsoleRun:
    def __init__(self, server: TmuxServer, sandbox: SandboxProcess) -> None:
        self.dirs = UserDirs()
        self.pane: Pane = server.start(console_argv(), {**self.dirs.env, **sandbox.client_env()})
        self.pane.wait_for(lambda s: LIVE in s and "Quit" in s, 60, "the console to go live")
        self.pid = self.pane.pid

    def status_row(self) -> str:
        lines = self.pane.capture().splitlines()
        return lines[0] if lines else ""

    def journal_files(self) -> list[Path]:
        return sorted(self.dirs.data_home.rglob("*.sqlite3"))

    def journal_count(self) -> int | None:
        """Events in the console's journal; None when the console keeps no journal."""
        files = self.journal_files()
        if not files:
            return None
        total = 0
        for path in files:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                total += conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            finally:
                conn.close()
        return total

    def close(self) -> None:
        self.pane.send("q")
        self.pane.close()
        self.dirs.cleanup()
