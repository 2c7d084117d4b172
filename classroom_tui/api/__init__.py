"""The REST client of the Flexible Classroom service. No Textual here: it serves the CLI,
the console and the tests alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .connection import AuthStyle, ConnectionSettings
from .errors import (
    ApiError,
    AuthenticationFailed,
    BadRequest,
    ChatMuted,
    ClassAlreadyEnded,
    ClassAlreadyStarted,
    ClassEnded,
    ClassroomError,
    ConnectionDropped,
    GatewayError,
    InvalidInput,
    InvalidResponse,
    NotFound,
    RateLimited,
    RecordingNotFinished,
    RecordingNotStarted,
    RequestFailed,
    RequestTimedOut,
    RoomNotFound,
    ServerError,
    ServiceUnreachable,
    StateConflict,
    TransportError,
    UnexpectedStatus,
    UserNotFound,
    api_error_for,
)
from .models import (
    ClassState,
    Envelope,
    Event,
    Record,
    RecordingAction,
    RecordPage,
    RecordStatus,
    RecordType,
    parse_events,
)
from .retry import NO_RETRY, RetryPolicy
from .rooms import (
    MAX_ROOM_UUID_BYTES,
    ROOM_UUID_ALPHABET,
    InvalidRoomId,
    encode_path_segment,
    room_uuid_problem,
    validate_room_uuid,
)

if TYPE_CHECKING:
    from .client import ClassroomClient


def __getattr__(name: str) -> Any:
    # The client (and httpx, ~0.1 s to import) loads on first use, so the console can draw
    # its first frame and the models can be used without paying for it.
    if name == "ClassroomClient":
        from .client import ClassroomClient

        return ClassroomClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_ROOM_UUID_BYTES",
    "NO_RETRY",
    "ROOM_UUID_ALPHABET",
    "ApiError",
    "AuthStyle",
    "AuthenticationFailed",
    "BadRequest",
    "ChatMuted",
    "ClassAlreadyEnded",
    "ClassAlreadyStarted",
    "ClassEnded",
    "ClassState",
    "ClassroomClient",
    "ClassroomError",
    "ConnectionDropped",
    "ConnectionSettings",
    "Envelope",
    "Event",
    "GatewayError",
    "InvalidInput",
    "InvalidResponse",
    "InvalidRoomId",
    "NotFound",
    "RateLimited",
    "Record",
    "RecordPage",
    "RecordStatus",
    "RecordType",
    "RecordingAction",
    "RecordingNotFinished",
    "RecordingNotStarted",
    "RequestFailed",
    "RequestTimedOut",
    "RetryPolicy",
    "RoomNotFound",
    "ServerError",
    "ServiceUnreachable",
    "StateConflict",
    "TransportError",
    "UnexpectedStatus",
    "UserNotFound",
    "api_error_for",
    "encode_path_segment",
    "parse_events",
    "room_uuid_problem",
    "validate_room_uuid",
]
