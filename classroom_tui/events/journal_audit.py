"""How a state change's result becomes an audit entry, for the console and the CLI alike."""

from __future__ import annotations

from ..api.errors import ApiError, ClassroomError
from .journal import Journal

CLASS_STATE_WORDS = {0: "not-started", 1: "start", 2: "end"}


def class_action_name(state: int) -> str:
    """How the audit trail names a class state change ("class start"), CLI and console alike."""
    return f"class {CLASS_STATE_WORDS.get(state, str(state))}"


def recording_action_name(action: int) -> str:
    return "recording start" if action == 1 else "recording stop"


def action_outcome(error: ClassroomError | None) -> tuple[int | None, int | None, str]:
    """(HTTP status, business code, outcome in words) of a state change: success when no error;
    a transport failure has no status, since the service may or may not have acted."""
    if error is None:
        return 200, 0, "ok"
    if isinstance(error, ApiError):
        return error.http_status, error.code, error.explanation
    return None, None, error.describe()


def record_outcome(
    journal: Journal,
    *,
    profile: str,
    uid: str,
    room: str,
    action: str,
    error: ClassroomError | None,
) -> None:
    """Add the audit entry for one state change sent. Raises JournalUnavailable."""
    http_status, code, outcome = action_outcome(error)
    journal.record_action(
        profile=profile,
        uid=uid,
        room=room,
        action=action,
        http_status=http_status,
        code=code,
        outcome=outcome,
    )
