"""Headless commands over the client: class, recording, records, events."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from ..api import (
    ClassroomClient,
    ClassroomError,
    ConnectionSettings,
    InvalidInput,
    Record,
    validate_room_uuid,
)
from ..api.blocking import blocking_transport
from ..auth.token_source import TokenSource
from ..events.collector import EventCollector
from ..events.journal import Journal, JournalUnavailable
from ..events.journal_audit import class_action_name, record_outcome, recording_action_name
from ..settings import add_connection_arguments, resolve_connection, resolve_profile
from .event_stream import EventStreamOptions, stream_events
from .exit_codes import EXIT_CODES_HELP, EXIT_OK, CommandError, fail

if TYPE_CHECKING:
    import httpx

CLASS_STATES = {"0": 0, "1": 1, "2": 2, "not-started": 0, "start": 1, "end": 2}
RECORDING_ACTIONS = {"start": 1, "stop": 2}


def register(subparsers: Any) -> None:
    klass = _add(
        subparsers,
        "class",
        _class_command,
        "set a room's class state",
        "STATE is 0|1|2 or not-started|start|end.",
    )
    klass.add_argument("room", metavar="ROOM", help="the roomUuid")
    klass.add_argument("state", metavar="STATE", help="0|not-started, 1|start, 2|end")

    recording = _add(
        subparsers, "recording", _recording_command, "start or stop a room's recording"
    )
    recording.add_argument("room", metavar="ROOM", help="the roomUuid")
    recording.add_argument("action", metavar="ACTION", help="start|stop")

    records = _add(
        subparsers,
        "records",
        _records_command,
        "list a room's recordings",
        "Without --all, one page; the next page's id goes to stderr as 'next-id: ID'.",
    )
    records.add_argument("room", metavar="ROOM", help="the roomUuid")
    records.add_argument("--all", action="store_true", help="every page, not just one")
    records.add_argument("--next-id", metavar="ID", help="start from this page token")
    records.add_argument("--json", action="store_true", help="JSON Lines, the API's field names")

    events = _add(
        subparsers,
        "events",
        _events_command,
        "print class events as they are polled",
        "Without --follow, polls until a poll returns no events, then exits. The interval is "
        "waited only after an empty poll, so a backlog drains at full speed. Every event "
        "received is written out before a later failure ends the command.",
    )
    events.add_argument("--follow", "-f", action="store_true", help="keep polling until Ctrl-C")
    events.add_argument("--json", action="store_true", help="JSON Lines, the API's field names")
    events.add_argument(
        "--interval",
        metavar="SECONDS",
        type=float,
        default=2.0,
        help="wait after an empty poll (2; at least 0.1)",
    )
    events.add_argument(
        "--no-journal",
        action="store_true",
        help="do not keep the events in the App ID's journal (read it with `history`)",
    )


def _add(
    subparsers: Any,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    summary: str,
    details: str = "",
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {details}".strip(),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_connection_arguments(parser)
    parser.set_defaults(handler=handler)
    return parser


Action = Callable[[ClassroomClient], Coroutine[Any, Any, int]]


def _run(args: argparse.Namespace, action: Action) -> int:
    settings, tokens = resolve_connection(args)
    return asyncio.run(_with_client(settings, tokens, action))


async def _with_client(
    settings: ConnectionSettings,
    tokens: TokenSource,
    action: Action,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    # The token comes from the source on every request: a certificate-minted token is renewed
    # before it expires, so `events --follow` can run all day.
    async with ClassroomClient(
        settings, token_provider=tokens.current, transport=transport
    ) as client:
        return await action(client)


def _run_audited(args: argparse.Namespace, room: str, action_name: str, action: Action) -> int:
    """Run a state change and record it, whatever its outcome, in the audit trail."""
    settings, tokens = resolve_connection(args)
    outcome: ClassroomError | None = None
    try:
        return asyncio.run(_with_client(settings, tokens, action))
    except ClassroomError as error:
        outcome = error
        raise
    finally:
        _audit(args, settings, room, action_name, outcome)


def _audit(
    args: argparse.Namespace,
    settings: ConnectionSettings,
    room: str,
    action_name: str,
    outcome: ClassroomError | None,
) -> None:
    profile = resolve_profile(args)
    try:
        with Journal.open(settings.app_id) as journal:
            record_outcome(
                journal,
                profile=profile.name if profile else "",
                uid=settings.uid,
                room=room,
                action=action_name,
                error=outcome,
            )
    except JournalUnavailable as error:
        fail(f"warning: not recorded in the audit trail: {error}")


def _class_command(args: argparse.Namespace) -> int:
    room = validate_room_uuid(args.room)
    state = CLASS_STATES.get(args.state.strip().lower())
    if state is None:
        raise InvalidInput(
            f"class state {args.state!r} is not one of 0, 1, 2, not-started, start, end"
        )
    words = {0: "not started", 1: "started", 2: "ended"}

    async def action(client: ClassroomClient) -> int:
        await client.set_class_state(room, state)
        print(f"class in {room!r} is now {words[state]}")
        return EXIT_OK

    return _run_audited(args, room, class_action_name(state), action)


def _recording_command(args: argparse.Namespace) -> int:
    room = validate_room_uuid(args.room)
    action_code = RECORDING_ACTIONS.get(args.action.strip().lower())
    if action_code is None:
        raise InvalidInput(f"recording action {args.action!r} is not start or stop")

    async def action(client: ClassroomClient) -> int:
        await client.set_recording_state(room, action_code)
        verb = "started" if action_code == 1 else "stopped"
        print(f"recording in {room!r} {verb}")
        return EXIT_OK

    return _run_audited(args, room, recording_action_name(action_code), action)


def _records_command(args: argparse.Namespace) -> int:
    room = validate_room_uuid(args.room)
    if args.next_id is not None and not args.next_id.strip():
        raise InvalidInput("--next-id is empty")

    async def action(client: ClassroomClient) -> int:
        out = sys.stdout
        header = not args.json
        if args.all:
            async for page in client.iter_record_pages(room, args.next_id):
                _write_records(page.records, args.json, out, header)
                header = False
            return EXIT_OK
        page = await client.list_records(room, args.next_id)
        _write_records(page.records, args.json, out, header)
        if page.next_id is not None:
            print(f"next-id: {page.next_id}", file=sys.stderr)
        return EXIT_OK

    return _run(args, action)


_RECORD_HEADER = (
    f"{'RECORD ID':<24} {'START (UTC)':<19} {'DURATION':>9} {'TYPE':<9} {'STATUS':<9} URL"
)


def _write_records(records: tuple[Record, ...], as_json: bool, out: TextIO, header: bool) -> None:
    """One page, written once it has arrived whole (a failure leaves no stray header)."""
    if header:
        out.write(_RECORD_HEADER + "\n")
    for record in records:
        if as_json:
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(_record_line(record) + "\n")
    out.flush()


def _record_line(record: Record) -> str:
    start = (
        datetime.fromtimestamp(record.start_time / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        if record.start_time is not None
        else "—"
    )
    duration = "—"
    if record.duration_ms is not None:
        seconds = record.duration_ms // 1000
        duration = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    kind = {1: "single", 2: "composite"}.get(record.type or 0, str(record.type or "—"))
    status = {1: "recording", 2: "finished"}.get(record.status or 0, str(record.status or "—"))
    url = record.url or "—"
    return f"{record.record_id:<32} {start:<19} {duration:>9} {kind:<9} {status:<9} {url}"


def _events_command(args: argparse.Namespace) -> int:
    if args.interval < 0.1:
        raise InvalidInput("--interval must be at least 0.1 seconds")
    options = EventStreamOptions(follow=args.follow, as_json=args.json, interval=args.interval)

    settings, tokens = resolve_connection(args)
    journal = None if args.no_journal else _open_journal(settings.app_id)
    collector = EventCollector.resume(journal)
    if journal is not None and journal.other_writer_seen():
        fail(
            "warning: another classroom-tui polled this App ID within the last minute; "
            "each poller gets only part of the events"
        )

    async def action(client: ClassroomClient) -> int:
        return await stream_events(client, options, sys.stdout, sys.stderr, collector)

    try:
        # Polling back to back with nothing else on the loop: the blocking transport halves
        # the client's CPU per request (see classroom_tui/api/blocking.py).
        transport = blocking_transport()
        return asyncio.run(_with_client(settings, tokens, action, transport))
    finally:
        if collector.journal is not None:
            collector.journal.close()


def _open_journal(app_id: str) -> Journal:
    try:
        return Journal.open(app_id)
    except JournalUnavailable as error:
        raise CommandError(
            f"{error}; use --no-journal to poll without keeping the events"
        ) from None
