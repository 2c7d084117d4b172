"""Parsing the vendor page's example bodies and the variations the spec says to tolerate."""

from __future__ import annotations

import json

import pytest

from classroom_tui.api import Envelope, Event, InvalidResponse, Record, RecordPage, parse_events

# The example bodies of the vendor reference page, verbatim where they are valid JSON.
SET_CLASS_STATE_EXAMPLE = '{"code": 0, "msg": "Success", "ts": 1610450153520}'
SET_RECORDING_STATE_EXAMPLE = '{"code": 0, "ts": 1610450153520}'
RECORDS_EXAMPLE = """{
  "code": 0, "msg": "Success", "ts": 1610450153520,
  "data": {
    "total": 17,
    "list": [{
        "recordId": "xxxxxx", "appId": "xxxxxx", "roomUuid": "jason0",
        "startTime": 1602648426497, "endTime": 1602648430262,
        "resourceId": "xxxxxx", "sid": "xxxxxx", "recordUid": "xxxxxx",
        "boardId": "xxxxxx", "boardToken": "xxxxxx",
        "type": 2, "status": 2, "url": "scenario/recording/xxxxxx/xxxxxx/xxxxxx.m3u8"
    }],
    "count": 17
  }
}"""
EVENTS_EXAMPLE = """{
    "msg": "Success", "code": 0, "ts": 1610167740309,
    "data": [{"roomUuid": "xxxxxx", "cmd": 20, "sequence": 1, "version": 1, "data": {}}]
}"""


def test_class_state_answer() -> None:
    envelope = Envelope.from_json(json.loads(SET_CLASS_STATE_EXAMPLE))
    assert (envelope.code, envelope.msg, envelope.ts) == (0, "Success", 1610450153520)


def test_recording_state_answer_without_msg() -> None:
    envelope = Envelope.from_json(json.loads(SET_RECORDING_STATE_EXAMPLE))
    assert envelope.code == 0
    assert envelope.msg is None
    assert envelope.ts == 1610450153520


def test_records_answer() -> None:
    envelope = Envelope.from_json(json.loads(RECORDS_EXAMPLE))
    page = RecordPage.from_json(envelope.data)
    assert (page.total, page.count, page.next_id) == (17, 17, None)
    record = page.records[0]
    assert record.room_uuid == "jason0"
    assert record.duration_ms == 1602648430262 - 1602648426497
    assert record.type == 2 and record.status == 2
    assert record.url == "scenario/recording/xxxxxx/xxxxxx/xxxxxx.m3u8"
    assert record.to_json()["boardToken"] == "xxxxxx"


def test_events_answer() -> None:
    envelope = Envelope.from_json(json.loads(EVENTS_EXAMPLE))
    events = parse_events(envelope.data)
    assert events == [Event("xxxxxx", 20, 1, 1, {}, raw={})]
    assert events[0].to_json() == json.loads(EVENTS_EXAMPLE)["data"][0]


def test_unknown_fields_are_kept_and_tolerated() -> None:
    body = {"code": 0, "ts": 1, "data": [], "traceId": "abc", "extra": {"x": 1}}
    assert Envelope.from_json(body).data == []
    item = {"roomUuid": "r", "cmd": 1, "sequence": 3, "version": 1, "data": {}, "novel": True}
    assert Event.from_json(item).to_json()["novel"] is True


def test_record_still_running_has_no_end_or_url() -> None:
    record = Record.from_json({"recordId": "rec-1", "startTime": 5, "status": 1, "type": 1})
    assert record.end_time is None and record.url is None
    assert record.duration_ms is None


def test_next_id_null_and_string() -> None:
    assert (
        RecordPage.from_json({"total": 0, "count": 0, "list": [], "nextId": None}).next_id is None
    )
    page = RecordPage.from_json({"total": 250, "count": 0, "list": [], "nextId": "abc"})
    assert page.next_id == "abc"


def test_unknown_cmd_is_an_event_not_an_error() -> None:
    event = Event.from_json({"roomUuid": "r", "cmd": 4242, "sequence": 9, "data": {"x": 1}})
    assert event.cmd == 4242 and event.version == 0 and event.data == {"x": 1}


@pytest.mark.parametrize(
    "body",
    [
        [],
        "Success",
        {"msg": "no code"},
        {"code": "0"},
        {"code": True},
    ],
)
def test_envelope_without_integer_code_is_invalid(body: object) -> None:
    with pytest.raises(InvalidResponse):
        Envelope.from_json(body)


@pytest.mark.parametrize(
    "item",
    [
        {"cmd": 1, "sequence": 1},
        {"roomUuid": "r", "sequence": 1},
        {"roomUuid": "r", "cmd": "1", "sequence": 1},
        {"roomUuid": 5, "cmd": 1, "sequence": 1},
        "event",
    ],
)
def test_malformed_event_is_invalid(item: object) -> None:
    with pytest.raises(InvalidResponse):
        parse_events([item])


def test_events_data_null_or_empty() -> None:
    assert parse_events(None) == []
    assert parse_events([]) == []
    assert parse_events({}) == []
