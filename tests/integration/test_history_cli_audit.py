"""The audit trail end to end: real state changes against the sandbox (success, conflict, no
network) are recorded, then listed by `classroom-tui audit`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import pytest

from classroom_tui.api import (
    NO_RETRY,
    ClassroomClient,
    ClassroomError,
    ClassState,
    ConnectionSettings,
    RecordingAction,
)
from classroom_tui.cli import main
from classroom_tui.events.journal import Journal
from classroom_tui.events.journal_audit import action_outcome, record_outcome
from classroom_tui.sandbox import SandboxServer


async def send(
    client: ClassroomClient, request: Callable[[ClassroomClient], Awaitable[object]]
) -> ClassroomError | None:
    try:
        await request(client)
    except ClassroomError as error:
        return error
    return None


async def test_outcomes_of_real_answers_are_recorded_and_listed(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
        ok = await send(client, lambda c: c.set_class_state("room-a", ClassState.STARTED))
        conflict = await send(
            client, lambda c: c.set_recording_state("room-a", RecordingAction.STOP)
        )
    unreachable_settings = ConnectionSettings("http://127.0.0.1:9", "app", "u", "t", timeout=2)
    async with ClassroomClient(unreachable_settings, retry=NO_RETRY) as client:
        offline = await send(client, lambda c: c.set_class_state("room-a", ClassState.ENDED))

    assert action_outcome(ok) == (200, 0, "ok")
    assert conflict is not None and action_outcome(conflict)[:2] == (409, 30409410)
    assert offline is not None and action_outcome(offline)[:2] == (None, None)

    with Journal.open(sandbox.settings.app_id) as journal:
        for action, error in (
            ("class start", ok),
            ("recording stop", conflict),
            ("class end", offline),
        ):
            record_outcome(
                journal,
                profile="default",
                uid="support-1",
                room="room-a",
                action=action,
                error=error,
            )
        entries = journal.audit(room="room-a")
    assert [(e.action, e.http_status, e.code) for e in entries] == [
        ("class start", 200, 0),
        ("recording stop", 409, 30409410),
        ("class end", None, None),
    ]
    assert entries[1].outcome == "no recording is running in this room, so there is nothing to stop"
    assert entries[2].outcome == offline.describe()

    assert main(["audit", "--app-id", sandbox.settings.app_id, "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["action"], e["httpStatus"], e["code"], e["outcome"]) for e in listed] == [
        (e.action, e.http_status, e.code, e.outcome) for e in entries
    ]
    assert sandbox.settings.token not in json.dumps(listed)
