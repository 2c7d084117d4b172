"""The headless commands as a script would run them: a real process against the sandbox."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx
import pytest

from classroom_tui.sandbox import SandboxServer


def cli(server: SandboxServer | None, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_TUI_")}
    if server is not None:
        environment.update(
            CLASSROOM_TUI_BASE_URL=server.base_url,
            CLASSROOM_TUI_APP_ID=server.config.app_id,
            CLASSROOM_TUI_UID=server.config.uid,
            CLASSROOM_TUI_TOKEN=server.config.token,
        )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "classroom_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def assert_one_clean_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_room_through_start_recording_stop_end_and_list(sandbox: SandboxServer) -> None:
    room = "physics lab #2 (extra)"
    for args in (("class", room, "start"), ("recording", room, "start")):
        done = cli(sandbox, *args)
        assert done.returncode == 0, done.stderr
    assert cli(sandbox, "recording", room, "stop").returncode == 0
    ended = cli(sandbox, "class", room, "2")
    assert ended.returncode == 0 and "ended" in ended.stdout
    listed = cli(sandbox, "records", room, "--json")
    assert listed.returncode == 0, listed.stderr
    (record,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert record["roomUuid"] == room and record["status"] == 2 and record["url"]
    assert listed.stderr == ""  # a single page: no next-id


def test_records_pages_and_next_id(sandbox: SandboxServer) -> None:
    first = cli(sandbox, "records", "biology archive", "--json")
    assert first.returncode == 0
    assert len(first.stdout.splitlines()) == 100
    next_id = first.stderr.strip().removeprefix("next-id: ")
    assert first.stderr.startswith("next-id: ") and next_id
    second = cli(sandbox, "records", "biology archive", "--json", "--next-id", next_id)
    assert {json.loads(x)["recordId"] for x in second.stdout.splitlines()}.isdisjoint(
        {json.loads(x)["recordId"] for x in first.stdout.splitlines()}
    )
    everything = cli(sandbox, "records", "biology archive", "--all")
    assert everything.returncode == 0 and everything.stderr == ""
    assert len(everything.stdout.splitlines()) == 251  # header + 250 records


def test_events_drains_the_backlog_and_stops(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(batch_size=50)
    import httpx

    flood = httpx.post(
        f"{server.base_url}/_sandbox/flood", json={"count": 420}, headers=server.headers
    )
    assert flood.status_code == 200, flood.text
    done = cli(server, "events", "--json", "--interval", "5")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 420
    assert set(lines[0]) == {"roomUuid", "cmd", "sequence", "version", "data"}
    assert server.stats()["handedOut"] == 420
    readable = cli(server, "class", "demo room", "start")
    assert readable.returncode == 0
    text = cli(server, "events")
    assert "demo room  #1  class  class started" in text.stdout


def test_events_written_before_a_later_failure(sandbox: SandboxServer) -> None:
    """Events already received are on stdout before a later failure ends the command."""
    assert cli(sandbox, "class", "demo room", "1").returncode == 0
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_TUI_")}
    environment.update(
        CLASSROOM_TUI_BASE_URL=sandbox.base_url,
        CLASSROOM_TUI_APP_ID=sandbox.config.app_id,
        CLASSROOM_TUI_UID=sandbox.config.uid,
        CLASSROOM_TUI_TOKEN=sandbox.config.token,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "classroom_tui",
            "events",
            "--follow",
            "--json",
            "--interval",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        assert (first["roomUuid"], first["cmd"]) == ("demo room", 1)
        import httpx

        answer = httpx.put(
            f"{sandbox.base_url}/_sandbox/faults",
            json={"spec": "error500=1"},
            headers=sandbox.headers,
        )
        assert answer.status_code == 200
        code = process.wait(timeout=30)
        rest, stderr = process.communicate(timeout=5)
    finally:
        process.kill()
    assert code == 4 and rest == ""
    assert "HTTP 500" in stderr
    assert_one_clean_line(stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("class", "a/b", "1"), "character '/' at position 2"),
        (("class", "ok", "9"), "class state '9'"),
        (("recording", "ok", "pause"), "recording action 'pause'"),
        (("records", "x" * 65), "65 bytes long"),
        (("events", "--interval", "0"), "--interval"),
    ],
)
def test_bad_input_exits_2_and_sends_nothing(
    sandbox: SandboxServer, args: tuple[str, ...], message: str
) -> None:
    before = sum(sandbox.stats()["requestsByStatus"].values())
    done = cli(sandbox, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert_one_clean_line(done.stderr)
    assert sum(sandbox.stats()["requestsByStatus"].values()) == before


def test_missing_connection_settings_exit_2() -> None:
    done = cli(None, "events")
    assert done.returncode == 2 and "CLASSROOM_TUI_TOKEN" in done.stderr
    assert_one_clean_line(done.stderr)


def test_auth_failure_exits_3(sandbox: SandboxServer) -> None:
    done = cli(sandbox, "records", "demo room", CLASSROOM_TUI_TOKEN="nope-secret-42")
    assert done.returncode == 3
    assert "HTTP 401" in done.stderr and "nope-secret-42" not in done.stderr
    assert_one_clean_line(done.stderr)


def test_service_error_exits_4_with_status_code_and_meaning(sandbox: SandboxServer) -> None:
    done = cli(sandbox, "recording", "demo room", "stop")
    assert done.returncode == 4
    assert "HTTP 409, code 30409410" in done.stderr and "no recording is running" in done.stderr
    assert_one_clean_line(done.stderr)


def test_network_failure_exits_5(sandbox: SandboxServer) -> None:
    done = cli(sandbox, "events", CLASSROOM_TUI_BASE_URL="http://127.0.0.1:9")
    assert done.returncode == 5
    assert "could not be reached" in done.stderr
    assert_one_clean_line(done.stderr)


def test_flags_win_over_environment(sandbox: SandboxServer) -> None:
    done = cli(sandbox, "events", "--uid", "someone-else")
    assert done.returncode == 3


def test_help_documents_exit_codes() -> None:
    done = cli(None, "events", "--help")
    assert done.returncode == 0
    for code in ("0  success", "2  bad usage", "3  authentication", "4  the service", "5  network"):
        assert code in done.stdout


def test_state_changes_are_in_the_audit_trail(sandbox: SandboxServer, tmp_path: Path) -> None:
    data_home = {"XDG_DATA_HOME": str(tmp_path / "data")}
    assert cli(sandbox, "class", "office hours", "start", **data_home).returncode == 0
    assert cli(sandbox, "recording", "office hours", "stop", **data_home).returncode == 4
    listed = cli(sandbox, "audit", "--json", "--app-id", sandbox.config.app_id, **data_home)
    assert listed.returncode == 0, listed.stderr
    entries = [json.loads(line) for line in listed.stdout.splitlines()]
    outcomes = {(e["roomUuid"], e["action"], e["httpStatus"], e["code"]) for e in entries}
    assert outcomes == {
        ("office hours", "class start", 200, 0),
        ("office hours", "recording stop", 409, 30409410),
    }
    assert all(e["uid"] == sandbox.config.uid for e in entries)


def test_events_are_journaled_and_readable_with_history(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    data_home = {"XDG_DATA_HOME": str(tmp_path / "data")}
    assert cli(sandbox, "class", "demo room", "1", **data_home).returncode == 0
    polled = cli(sandbox, "events", "--json", **data_home)
    history = cli(sandbox, "history", "--json", "--app-id", sandbox.config.app_id, **data_home)
    assert history.returncode == 0, history.stderr
    assert history.stdout == polled.stdout and polled.stdout
    skipped = cli(sandbox, "events", "--no-journal", **data_home)
    assert skipped.returncode == 0


def test_failed_listing_prints_nothing_on_stdout(sandbox: SandboxServer) -> None:
    done = cli(sandbox, "records", "no such room")
    assert done.returncode == 4 and done.stdout == ""
    assert "HTTP 404, code 20404100" in done.stderr
    assert_one_clean_line(done.stderr)


def test_connection_flags_before_the_command_are_kept(sandbox: SandboxServer) -> None:
    wrong_uid = cli(sandbox, "--uid", "someone-else", "events")
    assert wrong_uid.returncode == 3
    right = cli(sandbox, "--uid", sandbox.config.uid, "events", CLASSROOM_TUI_UID="nobody")
    assert right.returncode == 0, right.stderr
    # After the command, a flag still wins over one given before it.
    both = cli(sandbox, "--uid", "someone-else", "events", "--uid", sandbox.config.uid)
    assert both.returncode == 0, both.stderr


def start_events(server: SandboxServer, tmp_path: Path, out: IO[str]) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_TUI_")}
    environment.update(
        CLASSROOM_TUI_BASE_URL=server.base_url,
        CLASSROOM_TUI_APP_ID=server.config.app_id,
        CLASSROOM_TUI_UID=server.config.uid,
        CLASSROOM_TUI_TOKEN=server.config.token,
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "classroom_tui", "events", "--json", "--follow"],
        stdout=out,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment,
        text=True,
    )


def test_ctrl_c_never_splits_a_batch_between_journal_and_output(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    """Ctrl-C mid-drain: what is in the journal is exactly what was printed; only the batch
    whose answer was in flight may be lost."""
    server = sandbox_factory(faults="latency=0.05")
    with httpx.Client(base_url=server.base_url, headers=server.headers) as http:
        http.post("/_sandbox/flood", json={"count": 3000}).raise_for_status()
    output = tmp_path / "events.jsonl"
    with output.open("w") as out:
        child = start_events(server, tmp_path, out)
        deadline = time.monotonic() + 30
        while output.stat().st_size == 0 and child.poll() is None:
            assert time.monotonic() < deadline, "no event was written"
            time.sleep(0.01)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    assert child.returncode == 130, stderr
    assert stderr.strip() == "classroom-tui: interrupted"
    (journal,) = (tmp_path / "data").rglob("*.sqlite3")
    with sqlite3.connect(journal) as conn:
        journaled = set(conn.execute("SELECT room, sequence FROM events"))
    printed = output.read_text().splitlines()
    assert {(e["roomUuid"], e["sequence"]) for e in map(json.loads, printed)} == journaled
    assert len(journaled) == len(printed) > 0
    assert server.stats()["handedOut"] - len(printed) in (0, 100)


def test_ctrl_c_ends_a_poll_the_service_does_not_answer(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    server = sandbox_factory(faults="hang=1,hang_seconds=30")
    with (tmp_path / "events.jsonl").open("w") as out:
        child = start_events(server, tmp_path, out)
        deadline = time.monotonic() + 30
        while not server.stats()["faultsByKind"].get("hang"):
            assert time.monotonic() < deadline and child.poll() is None, "no poll was sent"
            time.sleep(0.01)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    # Not exit 5 after the 10 s request timeout: the waiting poll is abandoned at once.
    assert child.returncode == 130, stderr
    assert stderr.strip() == "classroom-tui: interrupted"
