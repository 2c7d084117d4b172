"""`classroom-tui history` and `audit` over a real journal in the (temporary) XDG data dir."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classroom_tui.api import Event
from classroom_tui.cli import main
from classroom_tui.config import Config, Profile, save_config, upsert_profile
from classroom_tui.events.journal import Journal, journal_path
from classroom_tui.events.ordering import Gap

APP = "0123456789abcdef0123456789abcdef"
NOW = time.time()
RAWS = [
    {
        "roomUuid": "physics lab #2",
        "cmd": 20,
        "sequence": 40,
        "version": 1,
        "data": {"total": 1, "onlineUsers": [{"userUuid": "u7", "userName": "Ann", "role": 2}]},
    },
    {
        "roomUuid": "physics lab #2",
        "cmd": 3,
        "sequence": 41,
        "version": 1,
        "data": {
            "fromUser": {"userUuid": "u7", "userName": "Ann", "role": 2},
            "message": "hi, all",
        },
    },
    {
        "roomUuid": "physics lab #2",
        "cmd": 1101,
        "sequence": 45,
        "version": 1,
        "data": {"rewardDetails": [{"userUuid": "u7", "changedReward": 1, "totalReward": 3}]},
    },
    {"roomUuid": "math", "cmd": 1, "sequence": 1, "version": 2, "data": {"state": 1}},
]


@pytest.fixture
def journal_file() -> Path:
    path = journal_path(APP)
    with Journal.open(APP) as journal:
        journal.append_batch([Event.from_json(r) for r in RAWS[:2]], fetched_at=NOW - 3 * 3600)
        journal.append_batch(
            [Event.from_json(r) for r in RAWS[2:]],
            fetched_at=NOW - 60,
            gaps=[Gap("physics lab #2", 42, 44)],
        )
        journal.record_action(
            profile="default",
            uid="support-1",
            room="math",
            action="class start",
            http_status=200,
            code=0,
            outcome="ok",
            at=NOW - 120,
        )
        journal.record_action(
            profile="default",
            uid="support-1",
            room="physics lab #2",
            action="recording stop",
            http_status=409,
            code=30409410,
            outcome="recording not started",
            at=NOW - 30,
        )
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_readable_history_decodes_and_shows_gaps(journal_file: Path, capsys) -> None:
    code, out, err = run(capsys, "history", "--app-id", APP)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0].endswith("physics lab #2  #40  users  Ann (student) joined · 1 online")
    assert lines[1].endswith("physics lab #2  #41  chat  chat Ann: hi, all")
    assert lines[2].endswith("gap: physics lab #2 missing 42-44")
    assert lines[3].endswith("physics lab #2  #45  rewards  rewards Ann +1 (total 3)")
    assert lines[4].endswith("math  #1  class  class started")


def test_json_is_the_raw_events_one_per_line(journal_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "history", "--app-id", APP, "--json")
    assert code == 0
    assert out == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RAWS)


def test_csv_parses_with_the_documented_header(journal_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "history", "--app-id", APP, "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["fetched_at", "room", "sequence", "cmd", "kind", "summary", "raw_json"]
    assert [json.loads(row["raw_json"]) for row in rows] == RAWS
    assert rows[1]["kind"] == "chat" and rows[1]["summary"] == "chat Ann: hi, all"


@pytest.mark.parametrize(
    ("flags", "sequences"),
    [
        (["--room", "math"], [1]),
        (["--cmd", "chat"], [41]),
        (["--cmd", "1101"], [45]),
        (["--since", "1h"], [45, 1]),
        (["--until", "2h"], [40, 41]),
        (["--since", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(NOW - 600))], [45, 1]),
        (["--limit", "1"], [1]),
        (["--room", "physics lab #2", "--limit", "2"], [41, 45]),
    ],
)
def test_filters(journal_file: Path, capsys, flags: list[str], sequences: list[int]) -> None:
    code, out, _ = run(capsys, "history", "--app-id", APP, "--json", *flags)
    assert code == 0
    assert [json.loads(line)["sequence"] for line in out.splitlines()] == sequences


def test_app_id_from_environment_and_from_profile(journal_file: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CLASSROOM_TUI_APP_ID", APP)
    assert run(capsys, "history", "--json", "--limit", "1")[1].count("\n") == 1
    monkeypatch.delenv("CLASSROOM_TUI_APP_ID")
    profile = Profile(name="default", base_url="https://api.agora.io", app_id=APP, uid="s1")
    save_config(upsert_profile(Config(), profile))
    code, out, _ = run(capsys, "history", "--json")
    assert code == 0 and out.count("\n") == 4


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (["--cmd", "nope"], "--cmd 'nope' is neither a number nor a kind"),
        (["--since", "yesterday"], "--since: 'yesterday' is not a time"),
        (["--until", "2024-99-01"], "--until: '2024-99-01' is not a time"),
        (["--limit", "0"], "--limit must be a whole number of at least 1"),
        (["--limit", "x"], "--limit must be a whole number of at least 1"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(journal_file: Path, capsys, flags, needle) -> None:
    code, out, err = run(capsys, "history", "--app-id", APP, *flags)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err


def test_json_and_csv_together_is_a_usage_error(journal_file: Path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["history", "--app-id", APP, "--json", "--csv"])
    assert caught.value.code == 2


def test_no_app_id_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "history")
    assert code == 2 and "no App ID given" in err and err.count("\n") == 1


def test_nothing_journaled_yet_is_said_not_failed(capsys) -> None:
    code, out, err = run(capsys, "history", "--app-id", "never-used")
    assert code == 0 and out == ""
    assert "nothing journaled yet for App ID never-used" in err


def test_corrupt_journal_exits_1_with_one_line(capsys) -> None:
    path = journal_path(APP)
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(8192))
    for command in ("history", "audit"):
        code, out, err = run(capsys, command, "--app-id", APP)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "corrupt" in err and str(path) in err


def test_audit_readable_json_and_filters(journal_file: Path, capsys) -> None:
    code, out, err = run(capsys, "audit", "--app-id", APP)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("default  support-1  math  class start  ok (HTTP 200, code 0)")
    assert lines[1].endswith(
        "physics lab #2  recording stop  recording not started (HTTP 409, code 30409410)"
    )
    code, out, _ = run(capsys, "audit", "--app-id", APP, "--json", "--room", "physics lab #2")
    (entry,) = [json.loads(line) for line in out.splitlines()]
    assert entry["httpStatus"] == 409 and entry["code"] == 30409410 and entry["uid"] == "support-1"
    # An absolute bound: NOW is taken when the module is imported, which may be minutes
    # before this test runs in a full suite.
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(NOW - 75))
    code, out, _ = run(capsys, "audit", "--app-id", APP, "--since", since)
    assert code == 0 and len(out.splitlines()) == 1
    code, _, err = run(capsys, "audit", "--app-id", APP, "--since", "soon")
    assert code == 2 and err.count("\n") == 1


def test_history_from_the_shell_redirected_to_a_file(journal_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "export.jsonl"
    with target.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [sys.executable, "-m", "classroom_tui", "history", "--app-id", APP, "--json"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == RAWS
