"""`classroom-tui sandbox` as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from classroom_tui.cli import main

COMMAND = [sys.executable, "-m", "classroom_tui", "sandbox"]


def test_runs_until_ctrl_c_and_prints_credentials():
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", "--rate", "200", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        while not any(line.startswith("Press Ctrl-C") for line in lines):
            line = process.stdout.readline()
            assert line, "the sandbox ended before announcing itself"
            lines.append(line.strip())
        exports = dict(
            re.fullmatch(r"export (\w+)=(.*)", line).groups()  # type: ignore[union-attr]
            for line in lines
            if line.startswith("export ")
        )
        assert set(exports) == {
            "CLASSROOM_TUI_BASE_URL",
            "CLASSROOM_TUI_APP_ID",
            "CLASSROOM_TUI_UID",
            "CLASSROOM_TUI_TOKEN",
        }
        headers = {
            "x-agora-uid": exports["CLASSROOM_TUI_UID"],
            "x-agora-token": exports["CLASSROOM_TUI_TOKEN"],
        }
        url = (
            f"{exports['CLASSROOM_TUI_BASE_URL']}/edu/polling/apps/"
            f"{exports['CLASSROOM_TUI_APP_ID']}/v2/rooms/sequences"
        )
        time.sleep(0.3)
        response = httpx.get(url, headers=headers)
        assert response.status_code == 200 and response.json()["data"]
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in err


def test_port_in_use_exits_1(capsys: pytest.CaptureFixture[str]):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["sandbox", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "in use" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--faults", "bogus=1"],
        ["--faults", "error500=0.8,drop=0.8"],
        ["--rate", "-1"],
        ["--batch-size", "0"],
        ["--port", "70000"],
        ["--app-certificate", "xyz"],
        ["--uid", ""],
    ],
)
def test_bad_options_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]):
    assert main(["sandbox", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("classroom-tui: ") and "Traceback" not in err


def test_help_mentions_the_idle_rooms(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])
    assert "demo room" in capsys.readouterr().out
    assert os.environ.get("XDG_CONFIG_HOME", "").startswith(os.path.sep)
