"""The sandbox in its own process (it must not share the console's GIL), and its control API."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from typing import Any

import httpx

APP_ID = "5a4db0c1e2f3a4b5c6d7e8f9a0b1c2d3"
UID = "support-console"
TOKEN = "sandbox-token"
HEADERS = {"x-agora-uid": UID, "x-agora-token": TOKEN}


class SandboxProcess:
    """`python -m classroom_tui sandbox --port 0 ...`, stopped with SIGINT like Ctrl-C."""

    def __init__(self, rate: float = 0.0, seed: int = 1, batch_size: int = 100) -> None:
        argv = [sys.executable, "-m", "classroom_tui", "sandbox", "--port", "0"]
        argv += ["--rate", str(rate), "--seed", str(seed), "--batch-size", str(batch_size)]
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.base_url = self._read_url()
        self.http = httpx.Client(base_url=self.base_url, headers=HEADERS, timeout=60)

    def _read_url(self) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            found = re.search(r"listening on (\S+)", line)
            if found:
                return found.group(1)
        self.stop()
        raise RuntimeError("the sandbox did not start")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def client_env(self) -> dict[str, str]:
        return {
            "CLASSROOM_TUI_BASE_URL": self.base_url,
            "CLASSROOM_TUI_APP_ID": APP_ID,
            "CLASSROOM_TUI_UID": UID,
            "CLASSROOM_TUI_TOKEN": TOKEN,
        }

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"/_sandbox/{path}", json=body)
        response.raise_for_status()
        return response.json()["data"]

    def stats(self) -> dict[str, Any]:
        data: dict[str, Any] = self._call("GET", "stats")
        return data

    def set_rate(self, rate: float) -> None:
        self._call("PUT", "simulation", {"rate": rate})

    def flood(self, count: int) -> int:
        return int(self._call("POST", "flood", {"count": count})["generated"])

    def add_room(self, room: str, records: int) -> None:
        self._call("POST", "rooms", {"rooms": [{"roomUuid": room, "records": records}]})

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if hasattr(self, "http"):
            self.http.close()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
