"""The headless drain in process, against a sandbox process: the real stream_events over the
blocking transport, with the journal at synchronous=FULL, at NORMAL (the default), and off,
alternating; CPU (time.process_time) and wall per 100-event batch, medians. Then where one
NORMAL run's CPU goes, per stage. Run from the repo root:

    python bench/experiments/drain_inprocess.py [EVENTS] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sandbox_proc import APP_ID, HEADERS, SandboxProcess

from classroom_tui.api import ClassroomClient, ConnectionSettings
from classroom_tui.api import client as client_module
from classroom_tui.api.blocking import BlockingTransport
from classroom_tui.cli import event_stream
from classroom_tui.events import journal as journal_module
from classroom_tui.events.collector import EventCollector
from classroom_tui.events.journal import Journal

STAGES: dict[str, float] = {}


async def drain(sandbox: SandboxProcess, journal_mode: str, scratch: Path) -> None:
    uid, token = HEADERS["x-agora-uid"], HEADERS["x-agora-token"]
    settings = ConnectionSettings(sandbox.base_url, APP_ID, uid, token)
    journal = None
    if journal_mode != "off":
        journal = Journal.open(APP_ID, Path(tempfile.mkdtemp(dir=scratch)) / "j.sqlite3")
        journal._read("", lambda c: c.execute(f"PRAGMA synchronous = {journal_mode}"))
    collector = EventCollector.resume(journal)
    options = event_stream.EventStreamOptions(as_json=True)
    with open("/dev/null", "w") as out:
        async with ClassroomClient(settings, transport=BlockingTransport()) as client:
            await event_stream.stream_events(client, options, out, io.StringIO(), collector)
    if journal is not None:
        journal.close()


def timed(owner: Any, name: str, label: str) -> None:
    """Accumulate the CPU time of owner.name (a function or coroutine function) in STAGES."""
    original: Callable[..., Any] = getattr(owner, name)

    def count(began: float) -> None:
        STAGES[label] = STAGES.get(label, 0.0) + time.process_time() - began

    if asyncio.iscoroutinefunction(original):

        async def wrapper_async(*args: Any, **kwargs: Any) -> Any:
            began = time.process_time()
            try:
                return await original(*args, **kwargs)
            finally:
                count(began)

        setattr(owner, name, wrapper_async)
    else:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                count(began)

        setattr(owner, name, wrapper)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    batches = count / 100
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch, SandboxProcess(rate=0) as sandbox:
        for _ in range(rounds):
            for mode in ("FULL", "NORMAL", "off"):
                sandbox.flood(count)
                cpu, wall = time.process_time(), time.perf_counter()
                asyncio.run(drain(sandbox, mode, Path(scratch)))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                results.setdefault(mode, []).append((cpu / batches * 1e3, wall / batches * 1e3))
        for mode, runs in results.items():
            cpu_ms = statistics.median(c for c, _ in runs)
            wall_ms = statistics.median(w for _, w in runs)
            print(f"journal {mode:<6} cpu {cpu_ms:.3f} ms/batch  wall {wall_ms:.3f} ms/batch")

        timed(client_module, "_envelope_from", "json.loads + envelope")
        timed(client_module, "parse_events", "Event objects")
        timed(ClassroomClient, "poll_events", "poll (HTTP + the two above)")
        timed(journal_module.store, "insert_events", "journal rows (encode + INSERT)")
        timed(Journal, "append_batch", "journal transaction (incl. rows)")
        timed(EventCollector, "accept", "ordering + journal")
        timed(event_stream.EventWriter, "write", "output")
        sandbox.flood(count)
        began = time.process_time()
        asyncio.run(drain(sandbox, "NORMAL", Path(scratch)))
        total = time.process_time() - began
    print(f"\none NORMAL run: {total / batches * 1e3:.3f} ms CPU per batch")
    for label, seconds in STAGES.items():
        print(f"  {label:<34} {seconds / batches * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
