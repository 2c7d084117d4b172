"""Crash test: a headless collector is SIGKILLed at random moments while the sandbox floods
events, then restarted. Every event the sandbox handed out must be in the journal exactly
once, except at most the one batch whose answer was in flight at each kill.

The collector child runs the same pieces `classroom-tui events` uses (ClassroomClient.poll_events
then EventCollector.accept, which commits the batch before anything else happens)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from classroom_tui.events.journal import Journal, journal_path
from classroom_tui.sandbox import SandboxServer

BATCH = 50
KILLS = 6

COLLECTOR = """
import asyncio, os, sys
from pathlib import Path
from classroom_tui.api import ClassroomClient, ConnectionSettings
from classroom_tui.events.collector import EventCollector
from classroom_tui.events.journal import Journal, journal_path

base_url, app_id, uid, path, mode = sys.argv[1:]

async def main() -> int:
    collector = EventCollector.resume(Journal.open(app_id, Path(path)))
    settings = ConnectionSettings(base_url, app_id, uid, os.environ["CLASSROOM_TUI_TOKEN"])
    async with ClassroomClient(settings) as client:
        while True:
            batch = await client.poll_events()
            collector.accept(batch)
            if collector.journal_error is not None:
                print(collector.journal_error, file=sys.stderr)
                return 3
            if not batch:
                if mode == "drain":
                    return 0
                await asyncio.sleep(0.005)

sys.exit(asyncio.run(main()))
"""


def start_collector(sandbox: SandboxServer, path: Path, mode: str) -> subprocess.Popen[str]:
    settings = sandbox.settings
    env = {
        **os.environ,
        "CLASSROOM_TUI_TOKEN": settings.token,
        "CLASSROOM_TUI_BASE_URL": settings.base_url,
        "CLASSROOM_TUI_APP_ID": settings.app_id,
        "CLASSROOM_TUI_UID": settings.uid,
        "XDG_DATA_HOME": str(path),
    }
    follow = ["--follow"] if mode == "follow" else []
    return subprocess.Popen(
        [sys.executable, "-m", "classroom_tui", "events", "--json", "--interval", "0.1", *follow],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def journal_count(path: Path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def wait_until_polling(sandbox: SandboxServer, handed: int, child: subprocess.Popen[str]) -> None:
    """Until the child has fetched its first batch (so a kill lands mid-stream)."""
    deadline = time.monotonic() + 30
    while int(sandbox.stats()["handedOut"]) == handed:
        assert child.poll() is None, child.communicate()[1]
        assert time.monotonic() < deadline, "the collector never polled"
        time.sleep(0.01)


def settled_handed_out(sandbox: SandboxServer) -> int:
    """handedOut once no request of the killed child is still being answered."""
    previous = -1
    while True:
        current = int(sandbox.stats()["handedOut"])
        if current == previous:
            return current
        previous = current
        time.sleep(0.2)


def test_sigkill_loses_at_most_the_batch_in_flight(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    sandbox = sandbox_factory(batch_size=BATCH, faults="reorder=0.3")
    data = tmp_path / "data"
    path = journal_path(sandbox.settings.app_id, data / "classroom-tui")
    rng = random.Random(4)
    flood = httpx.Client(base_url=sandbox.base_url, headers=sandbox.headers, timeout=10)
    handed, stored, kills_mid_stream = 0, 0, 0
    for _ in range(KILLS):
        flood.post("/_sandbox/flood", json={"count": 4000}).raise_for_status()
        child = start_collector(sandbox, data, "follow")
        wait_until_polling(sandbox, handed, child)
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        new_handed = settled_handed_out(sandbox)
        new_stored = journal_count(path)
        lost = (new_handed - handed) - (new_stored - stored)
        assert 0 <= lost <= BATCH, f"lost {lost} events at one kill"
        kills_mid_stream += new_handed > handed and sandbox.stats()["queued"] > 0
        handed, stored = new_handed, new_stored
    assert kills_mid_stream >= KILLS // 2  # the kills really hit a busy collector

    drain = start_collector(sandbox, data, "drain")
    _, errors = drain.communicate(timeout=120)
    assert drain.returncode == 0, errors
    stats = sandbox.stats()
    assert stats["queued"] == 0 and stats["droppedByGap"] == 0
    total_lost = stats["handedOut"] - journal_count(path)
    assert 0 <= total_lost <= KILLS * BATCH
    with Journal.open(sandbox.settings.app_id, path, read_only=True) as journal:
        # Exactly once: the service never repeats, so the journal counted no duplicates and
        # (room, sequence) is unique by construction.
        assert journal.stats().duplicates == 0
        assert journal.stats().events == stats["handedOut"] - total_lost
    flood.close()


async def test_sandbox_reorder_and_gap_faults_are_sorted_and_flagged(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    from classroom_tui.api import NO_RETRY, ClassroomClient, Event
    from classroom_tui.events.collector import EventCollector
    from classroom_tui.events.ordering import Gap

    sandbox = sandbox_factory(batch_size=40, faults="reorder=1,gap=0.1")
    rooms = ["physics lab #2", "math"]
    events = [
        {"roomUuid": room, "cmd": 3, "sequence": n, "data": {"message": f"m{n}"}}
        for n in range(1, 201)
        for room in rooms
    ]
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=sandbox.headers) as http:
        (await http.post("/_sandbox/events", json={"events": events})).raise_for_status()

    shown: list[Event | Gap] = []
    with Journal.open(sandbox.settings.app_id, tmp_path / "j.sqlite3") as journal:
        collector = EventCollector.resume(journal)
        async with ClassroomClient(sandbox.settings, retry=NO_RETRY) as client:
            while batch := await client.poll_events():
                shown.extend(collector.accept(batch))
        recorded = journal.gaps()
        stored = journal.stats().events

    stats = sandbox.stats()
    assert stats["reorderedBatches"] > 0 and stats["droppedByGap"] > 0
    for room in rooms:
        sequences = [e.sequence for e in shown if isinstance(e, Event) and e.room_uuid == room]
        assert sequences == sorted(sequences)  # shown in order despite shuffled batches
        gaps = [g for g in shown if isinstance(g, Gap) and g.room == room]
        flagged = {n for g in gaps for n in range(g.first_missing, g.last_missing + 1)}
        last = max(sequences)
        # Every number missing before the room's last event is flagged, nothing else is.
        assert flagged == set(range(min(sequences), last + 1)) - set(sequences)
    # Missing numbers after the last event of a room cannot be seen yet; all others are.
    assert sum(g.count for g in shown if isinstance(g, Gap)) <= stats["droppedByGap"]
    assert [(g.room, g.first_missing, g.last_missing) for g in recorded] == [
        (g.room, g.first_missing, g.last_missing) for g in shown if isinstance(g, Gap)
    ]
    assert stored == stats["handedOut"]
