"""Writing events out: JSON Lines (the API's own objects, exactly as `events --json` prints
them) and CSV (one readable row per event plus its raw JSON). Shared by CLI and console."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TextIO

from ..api.models import Event
from .decode import EventDecoder
from .journal_models import StoredEvent

ExportFormat = Literal["jsonl", "csv"]
# An event to export: from the journal, or live with the time it was fetched.
ExportItem = StoredEvent | tuple[Event, float]

CSV_HEADER = ("fetched_at", "room", "sequence", "cmd", "kind", "summary", "raw_json")


# json.dumps with ensure_ascii=False builds a new encoder per call; this one is reused.
_LINE_JSON = json.JSONEncoder(ensure_ascii=False)


def event_json_line(raw: Mapping[str, Any] | Event) -> str:
    """One JSON Lines line (without the newline) for an event: the service's object as is."""
    if isinstance(raw, Event):
        return raw.json_line()
    return _LINE_JSON.encode(raw)


def local_iso(moment: float) -> str:
    return datetime.fromtimestamp(moment).astimezone().isoformat(timespec="milliseconds")


def write_json_lines(items: Iterable[ExportItem], out: TextIO) -> int:
    count = 0
    for item in items:
        raw = item.raw if isinstance(item, StoredEvent) else item[0].to_json()
        out.write(event_json_line(raw) + "\n")
        count += 1
    return count


def write_csv(items: Iterable[ExportItem], out: TextIO, decoder: EventDecoder | None = None) -> int:
    decoder = decoder or EventDecoder()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for item in items:
        event, fetched_at = (item.event, item.fetched_at) if isinstance(item, StoredEvent) else item
        decoded = decoder.decode(event)
        writer.writerow(
            (
                local_iso(fetched_at),
                event.room_uuid,
                event.sequence,
                event.cmd,
                decoded.kind,
                decoded.summary,
                event_json_line(event),
            )
        )
        count += 1
    return count


def format_for(path: Path) -> ExportFormat:
    """CSV for a .csv file name, JSON Lines for anything else."""
    return "csv" if path.suffix.lower() == ".csv" else "jsonl"


def default_export_path(directory: Path, fmt: ExportFormat, now: float) -> Path:
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    return directory / f"classroom-events-{stamp}.{fmt}"


def export_to_file(items: Iterable[ExportItem], path: Path, fmt: ExportFormat | None = None) -> int:
    """Write the items to `path` (format from its suffix unless given), all or nothing: a
    temporary file beside it is renamed into place. Returns the number of events written;
    OSError (with the path) when it cannot be written."""
    fmt = fmt or format_for(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            count = write_csv(items, out) if fmt == "csv" else write_json_lines(items, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
