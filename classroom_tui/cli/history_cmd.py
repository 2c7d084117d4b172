"""`history` and `audit`: read the App ID's journal. Only the App ID is needed, no token."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from typing import Any, TextIO

from ..api import InvalidInput
from ..config import ConfigError
from ..events.decode import EventDecoder
from ..events.export import write_csv, write_json_lines
from ..events.journal import Journal, JournalUnavailable, StoredEvent, StoredGap, journal_path
from ..events.journal_query import interleave_gaps, parse_time_bound
from ..events.names import KIND_NAMES, cmd_for_name
from ..settings import ENV_APP_ID, ENV_PROFILE, resolve_profile
from .exit_codes import EXIT_CODES_HELP, EXIT_FAILURE, EXIT_OK, CommandError

TIME_HELP = "a duration back from now (30m, 2h, 1d) or an ISO time (2024-05-01T14:00)"


def register(subparsers: Any) -> None:
    history = _add(
        subparsers,
        "history",
        _history_command,
        "query the events journaled for an App ID",
        "Events are listed in the order they were stored; with --limit, the newest N. "
        "--json writes the same JSON Lines as `events --json`.",
    )
    history.add_argument("--room", metavar="ROOM", help="only this roomUuid")
    history.add_argument(
        "--cmd", metavar="N|NAME", help=f"only this kind: a cmd or {', '.join(KIND_NAMES.values())}"
    )
    history.add_argument("--since", metavar="TIME", help=f"fetched at or after: {TIME_HELP}")
    history.add_argument("--until", metavar="TIME", help=f"fetched at or before: {TIME_HELP}")
    history.add_argument("--limit", metavar="N", help="the newest N matching events")
    formats = history.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="JSON Lines, the API's field names")
    formats.add_argument("--csv", action="store_true", help="CSV with a header row")

    audit = _add(
        subparsers,
        "audit",
        _audit_command,
        "list the state changes sent from this App ID's console and CLI",
    )
    audit.add_argument("--room", metavar="ROOM", help="only this roomUuid")
    audit.add_argument("--since", metavar="TIME", help=f"at or after: {TIME_HELP}")
    audit.add_argument("--limit", metavar="N", help="the newest N entries")
    audit.add_argument("--json", action="store_true", help="JSON Lines")


def _add(subparsers: Any, name: str, handler: Any, summary: str, details: str = "") -> Any:
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {details}".strip(),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--app-id", metavar="ID", help=f"the App ID ({ENV_APP_ID}, else the profile's)"
    )
    parser.add_argument(
        "--profile", metavar="NAME", help=f"take the App ID from this profile ({ENV_PROFILE})"
    )
    parser.set_defaults(handler=handler)
    return parser


def _history_command(args: argparse.Namespace) -> int:
    now = time.time()
    cmd = None
    if args.cmd is not None:
        cmd = cmd_for_name(args.cmd)
        if cmd is None:
            kinds = ", ".join(KIND_NAMES.values())
            raise InvalidInput(f"--cmd {args.cmd!r} is neither a number nor a kind ({kinds})")
    since = _time(args.since, "--since", now)
    until = _time(args.until, "--until", now)
    limit = _limit(args.limit)
    journal = _open(args)
    if journal is None:
        return EXIT_OK
    with journal:
        try:
            events = journal.query(room=args.room, cmd=cmd, since=since, until=until, limit=limit)
            gaps = (
                []
                if args.json or args.csv
                else journal.gaps(room=args.room, since=since, until=until)
            )
        except JournalUnavailable as error:
            raise CommandError(str(error), EXIT_FAILURE) from None
    out = sys.stdout
    if args.json:
        write_json_lines(events, out)
    elif args.csv:
        write_csv(events, out)
    else:
        if limit is not None and events:
            gaps = [gap for gap in gaps if gap.noticed_at >= events[0].fetched_at]
        _write_readable(interleave_gaps(events, gaps), out)
    out.flush()
    return EXIT_OK


def _audit_command(args: argparse.Namespace) -> int:
    since = _time(args.since, "--since", time.time())
    limit = _limit(args.limit)
    journal = _open(args)
    if journal is None:
        return EXIT_OK
    with journal:
        try:
            entries = journal.audit(room=args.room, since=since, limit=limit)
        except JournalUnavailable as error:
            raise CommandError(str(error), EXIT_FAILURE) from None
    out = sys.stdout
    for entry in entries:
        if args.json:
            out.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
            continue
        answer = [f"HTTP {entry.http_status}" if entry.http_status is not None else None]
        answer.append(f"code {entry.code}" if entry.code is not None else None)
        detail = ", ".join(part for part in answer if part)
        out.write(
            f"{_local(entry.at)}  {entry.profile or '-'}  {entry.uid}  {entry.room}  "
            f"{entry.action}  {entry.outcome}{f' ({detail})' if detail else ''}\n"
        )
    out.flush()
    return EXIT_OK


def _write_readable(items: list[StoredEvent | StoredGap], out: TextIO) -> None:
    decoder = EventDecoder()
    for item in items:
        if isinstance(item, StoredGap):
            out.write(f"{_local(item.noticed_at)}  {item.describe()}\n")
            continue
        decoded = decoder.decode(item.event)
        out.write(
            f"{_local(item.fetched_at)}  {item.room}  #{item.sequence}  "
            f"{decoded.kind}  {decoded.summary}\n"
        )


def _open(args: argparse.Namespace) -> Journal | None:
    """The App ID's journal, read-only; None (with a note) when nothing was journaled yet."""
    app_id = _app_id(args)
    path = journal_path(app_id)
    if not path.exists():
        print(f"classroom-tui: nothing journaled yet for App ID {app_id} ({path})", file=sys.stderr)
        return None
    try:
        return Journal.open(app_id, path, read_only=True)
    except JournalUnavailable as error:
        raise CommandError(str(error), EXIT_FAILURE) from None


def _app_id(args: argparse.Namespace) -> str:
    app_id = args.app_id or os.environ.get(ENV_APP_ID)
    if not app_id:
        try:
            profile = resolve_profile(args)
        except ConfigError as error:
            raise CommandError(str(error), EXIT_FAILURE) from None
        app_id = profile.app_id if profile is not None else None
    if not app_id or not app_id.strip():
        raise InvalidInput(
            f"no App ID given: use --app-id, {ENV_APP_ID}, or a saved profile (classroom-tui login)"
        )
    return app_id.strip()


def _time(text: str | None, flag: str, now: float) -> float | None:
    if text is None:
        return None
    try:
        return parse_time_bound(text, now)
    except ValueError as error:
        raise InvalidInput(f"{flag}: {error}") from None


def _limit(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise InvalidInput(f"--limit must be a whole number of at least 1, not {text!r}")
    return int(text)


def _local(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S")
