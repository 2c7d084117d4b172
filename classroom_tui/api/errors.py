"""What can go wrong talking to the service, in a support engineer's terms.

ClassroomError
├── ApiError                 the service answered with an error status
│   ├── BadRequest           400 / 400
│   ├── AuthenticationFailed 401
│   ├── ChatMuted            403 / 30403200
│   ├── NotFound             404 (no business code)
│   │   ├── RoomNotFound     404 / 20404100
│   │   └── UserNotFound     404 / 20404200
│   ├── StateConflict        409
│   │   ├── RecordingNotStarted  30409410
│   │   ├── RecordingNotFinished 30409411
│   │   ├── ClassAlreadyStarted  30409100
│   │   └── ClassAlreadyEnded    30409101
│   ├── ClassEnded           410 / 30410100
│   ├── RateLimited          429
│   ├── ServerError          500
│   ├── GatewayError         503
│   ├── RequestFailed        HTTP 200 with a non-zero business code
│   └── UnexpectedStatus     anything else
└── TransportError           no usable answer arrived
    ├── ServiceUnreachable   connection refused, DNS failure
    ├── RequestTimedOut      connect or read timeout
    ├── ConnectionDropped    connection reset or closed mid-answer
    └── InvalidResponse      a 2xx answer that is not the JSON the spec promises
"""

from __future__ import annotations

import re
from typing import ClassVar


class InvalidInput(ValueError):
    """Input the client refuses before sending anything (room id, state, page token...)."""


class ClassroomError(Exception):
    """Base of every error the client raises. `explanation` is one sentence for people."""

    explanation: ClassVar[str] = "the request failed"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.detail:
            return f"{self.explanation} ({self.detail})"
        return self.explanation


class ApiError(ClassroomError):
    """The service answered with an HTTP error status."""

    status: ClassVar[int] = 0
    business_code: ClassVar[int | None] = None
    explanation = "the service refused the request"

    def __init__(
        self,
        *,
        http_status: int,
        code: int | None = None,
        server_msg: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.http_status = http_status
        self.code = code
        self.server_msg = server_msg
        self.retry_after = retry_after
        super().__init__(None)

    def describe(self) -> str:
        parts = [f"HTTP {self.http_status}"]
        if self.code is not None:
            parts.append(f"code {self.code}")
        text = f"{self.explanation} ({', '.join(parts)})"
        if self.server_msg and not _restates(self.server_msg, self.explanation):
            text += f": {self.server_msg}"
        return text


def _restates(server_msg: str, explanation: str) -> bool:
    """Whether the server's msg says nothing the explanation does not already say
    ("class already started" after "the class has already started; ...")."""
    words = set(re.findall(r"[a-z0-9]+", server_msg.lower()))
    return not words or words == {"success"} or words <= set(re.findall(r"[a-z0-9]+", explanation))


class BadRequest(ApiError):
    status, business_code = 400, 400
    explanation = "the service rejected the request parameters"


class AuthenticationFailed(ApiError):
    status = 401
    explanation = (
        "authentication failed: the App ID is invalid, or the uid and token are wrong or do not "
        "match"
    )


class ChatMuted(ApiError):
    status, business_code = 403, 30403200
    explanation = "class chat is muted"


class NotFound(ApiError):
    status = 404
    explanation = "the service found no such resource (check the base URL and App ID)"


class RoomNotFound(NotFound):
    business_code = 20404100
    explanation = "the room does not exist"


class UserNotFound(NotFound):
    business_code = 20404200
    explanation = "the user does not exist"


class StateConflict(ApiError):
    status = 409
    explanation = "the request conflicts with the room's current state"


class RecordingNotStarted(StateConflict):
    business_code = 30409410
    explanation = "no recording is running in this room, so there is nothing to stop"


class RecordingNotFinished(StateConflict):
    business_code = 30409411
    explanation = "a recording is already running in this room"


class ClassAlreadyStarted(StateConflict):
    business_code = 30409100
    explanation = "the class has already started; it can only be ended now"


class ClassAlreadyEnded(StateConflict):
    business_code = 30409101
    explanation = "the class has already ended; its state can no longer change"


class ClassEnded(ApiError):
    status, business_code = 410, 30410100
    explanation = "the class has ended"


class RateLimited(ApiError):
    status = 429
    explanation = "the service is rate limiting requests; slow down"


class ServerError(ApiError):
    status, business_code = 500, 500
    explanation = "the service had an internal error"


class GatewayError(ApiError):
    status = 503
    explanation = "the service's gateway got no answer from upstream; the service may be down"


class UnexpectedStatus(ApiError):
    explanation = "the service answered with an unexpected status"


class RequestFailed(ApiError):
    explanation = "the service reported that the request failed"


class TransportError(ClassroomError):
    """No usable answer arrived from the service."""

    explanation = "the service could not be reached"


class ServiceUnreachable(TransportError):
    explanation = "the service could not be reached: connection refused or host unknown"


class RequestTimedOut(TransportError):
    explanation = "the service did not answer in time"


class ConnectionDropped(TransportError):
    explanation = "the connection to the service was dropped before the answer was complete"


class InvalidResponse(TransportError):
    explanation = "the service sent an answer that is not valid JSON in the documented shape"


_BY_CODE: dict[tuple[int, int], type[ApiError]] = {
    (cls.status, cls.business_code): cls
    for cls in (
        BadRequest,
        ChatMuted,
        RoomNotFound,
        UserNotFound,
        RecordingNotStarted,
        RecordingNotFinished,
        ClassAlreadyStarted,
        ClassAlreadyEnded,
        ClassEnded,
        ServerError,
    )
    if cls.business_code is not None
}
_BY_STATUS: dict[int, type[ApiError]] = {
    200: RequestFailed,
    400: BadRequest,
    401: AuthenticationFailed,
    403: ApiError,
    404: NotFound,
    409: StateConflict,
    410: ClassEnded,
    429: RateLimited,
    500: ServerError,
    503: GatewayError,
}


def api_error_for(
    http_status: int,
    code: int | None,
    server_msg: str | None,
    retry_after: float | None = None,
) -> ApiError:
    """The most specific error for an HTTP status and (possibly missing) business code."""
    cls: type[ApiError] | None = None
    if code is not None:
        cls = _BY_CODE.get((http_status, code))
    if cls is None:
        cls = _BY_STATUS.get(http_status, UnexpectedStatus)
    return cls(http_status=http_status, code=code, server_msg=server_msg, retry_after=retry_after)
