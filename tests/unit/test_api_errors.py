"""Every row of the spec's status table becomes its own error with a readable sentence."""

from __future__ import annotations

import pytest

from classroom_tui import api
from classroom_tui.api.retry import RetryPolicy, parse_retry_after

STATUS_TABLE = [
    (400, 400, api.BadRequest),
    (401, None, api.AuthenticationFailed),
    (403, 30403200, api.ChatMuted),
    (404, None, api.NotFound),
    (404, 20404100, api.RoomNotFound),
    (404, 20404200, api.UserNotFound),
    (409, 30409410, api.RecordingNotStarted),
    (409, 30409411, api.RecordingNotFinished),
    (409, 30409100, api.ClassAlreadyStarted),
    (409, 30409101, api.ClassAlreadyEnded),
    (410, 30410100, api.ClassEnded),
    (429, None, api.RateLimited),
    (500, 500, api.ServerError),
    (503, None, api.GatewayError),
    (418, None, api.UnexpectedStatus),
    (200, 12345, api.RequestFailed),
]


@pytest.mark.parametrize(("status", "code", "expected"), STATUS_TABLE)
def test_each_status_row_maps_to_its_error(
    status: int, code: int | None, expected: type[api.ApiError]
) -> None:
    error = api.api_error_for(status, code, "server says hi")
    assert type(error) is expected
    text = str(error)
    assert f"HTTP {status}" in text
    if code is not None:
        assert f"code {code}" in text
    assert "server says hi" in text
    assert error.explanation in text


def test_distinct_explanations_for_every_row() -> None:
    explanations = {cls.explanation for _, _, cls in STATUS_TABLE}
    assert len(explanations) == len(STATUS_TABLE)


def test_unknown_business_code_falls_back_to_status_class() -> None:
    assert type(api.api_error_for(409, 1, None)) is api.StateConflict
    assert type(api.api_error_for(404, 999, None)) is api.NotFound


def test_success_msg_is_not_repeated() -> None:
    assert str(api.api_error_for(500, 500, "Success")).endswith("(HTTP 500, code 500)")


def test_retry_after_seconds_and_date() -> None:
    from datetime import UTC, datetime

    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:05 GMT", now) == 5.0


def test_backoff_grows_and_is_capped() -> None:
    import random

    policy = RetryPolicy(base_delay=1.0, max_delay=4.0, rng=random.Random(1))
    for retry in range(1, 8):
        assert 0 <= policy.delay(retry) <= min(4.0, 2 ** (retry - 1))
    assert policy.delay(1, retry_after=2.5) == 2.5
    assert policy.delay(1, retry_after=999) == policy.max_retry_after


def test_server_msg_is_shown_only_when_it_adds_something() -> None:
    conflict = str(api.api_error_for(409, 30409100, "class already started"))
    assert conflict == (
        "the class has already started; it can only be ended now (HTTP 409, code 30409100)"
    )
    detail = str(api.api_error_for(400, 400, "class state 7 is not 0, 1 or 2"))
    assert detail.endswith("(HTTP 400, code 400): class state 7 is not 0, 1 or 2")
