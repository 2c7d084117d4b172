"""JSON Lines and CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from classroom_tui.api import Event
from classroom_tui.events.export import (
    CSV_HEADER,
    default_export_path,
    event_json_line,
    export_to_file,
    format_for,
    write_csv,
    write_json_lines,
)
from classroom_tui.events.journal import Journal

RAW = [
    {
        "roomUuid": "room 1",
        "cmd": 3,
        "sequence": 1,
        "version": 1,
        "data": {
            "fromUser": {"userUuid": "u1", "userName": "李雷", "role": 2},
            "message": 'say "hi",\nthen go',
            "type": 1,
        },
        "extra": 1.5,
    },
    {"roomUuid": "room 1", "cmd": 9999, "sequence": 2, "version": 3, "data": {"x": [1, None]}},
]


def events() -> list[Event]:
    return [Event.from_json(raw) for raw in RAW]


def test_json_line_is_the_service_object_as_events_json_prints_it() -> None:
    for event, raw in zip(events(), RAW, strict=True):
        line = event_json_line(event)
        assert json.loads(line) == raw
        # Byte for byte what `classroom-tui events --json` writes for the same event.
        assert line == json.dumps(event.to_json(), ensure_ascii=False)
        assert event_json_line(raw) == line


def test_journal_round_trip_gives_identical_json_lines(tmp_path: Path) -> None:
    with Journal.open("app", tmp_path / "j.sqlite3") as journal:
        journal.append_batch(events())
        out = io.StringIO()
        assert write_json_lines(journal.recent(10), out) == 2
    expected = "".join(json.dumps(raw, ensure_ascii=False) + "\n" for raw in RAW)
    assert out.getvalue() == expected


def test_csv_is_parseable_with_header_kind_summary_and_raw(tmp_path: Path) -> None:
    fetched = datetime(2024, 5, 1, 14, 3, 22).timestamp()
    out = io.StringIO()
    assert write_csv([(e, fetched) for e in events()], out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_HEADER
    first, second = rows[1], rows[2]
    assert first[0].startswith("2024-05-01T14:03:22.000")
    assert first[1:5] == ["room 1", "1", "3", "chat"]
    assert first[5] == 'chat 李雷: say "hi", then go'
    assert json.loads(first[6]) == RAW[0]
    assert second[4] == "unknown" and json.loads(second[6]) == RAW[1]


def test_csv_from_stored_events(tmp_path: Path) -> None:
    with Journal.open("app", tmp_path / "j.sqlite3") as journal:
        journal.append_batch(events(), fetched_at=0.0)
        out = io.StringIO()
        write_csv(journal.recent(10), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["sequence"] for row in rows] == ["1", "2"]


def test_export_to_file_picks_format_from_suffix_and_leaves_no_temp(tmp_path: Path) -> None:
    items = [(e, 0.0) for e in events()]
    assert export_to_file(items, tmp_path / "out" / "view.csv") == 2
    assert (tmp_path / "out" / "view.csv").read_text(encoding="utf-8").startswith("fetched_at,")
    assert export_to_file(items, tmp_path / "out" / "view.jsonl") == 2
    lines = (tmp_path / "out" / "view.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == RAW
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["view.csv", "view.jsonl"]


def test_failed_export_leaves_nothing(tmp_path: Path) -> None:
    def broken() -> object:
        yield (events()[0], 0.0)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        export_to_file(broken(), tmp_path / "view.jsonl")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_format_and_default_name() -> None:
    assert format_for(Path("a.CSV")) == "csv"
    assert format_for(Path("a.jsonl")) == "jsonl" and format_for(Path("a")) == "jsonl"
    now = datetime(2024, 5, 1, 14, 3, 22).timestamp()
    assert default_export_path(Path("/x"), "csv", now) == Path(
        "/x/classroom-events-20240501-140322.csv"
    )
