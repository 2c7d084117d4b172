"""Event kinds (cmd) by name, and the few code tables the summaries need."""

from __future__ import annotations

from typing import Final

CMD_CLASS_STATE: Final = 1
CMD_CHAT: Final = 3
CMD_USERS: Final = 20
CMD_RECORDING: Final = 1001
CMD_RESOURCES: Final = 1003
CMD_REWARDS: Final = 1101
CMD_STAGE: Final = 1501
CMD_HANDS: Final = 1502
CMD_WIDGET: Final = 1110

KIND_NAMES: Final[dict[int, str]] = {
    CMD_CLASS_STATE: "class",
    CMD_CHAT: "chat",
    CMD_USERS: "users",
    CMD_RECORDING: "recording",
    CMD_RESOURCES: "resources",
    CMD_REWARDS: "rewards",
    CMD_STAGE: "stage",
    CMD_HANDS: "hands",
    CMD_WIDGET: "widget",
}
UNKNOWN_KIND: Final = "unknown"

CLASS_STATE_WORDS: Final[dict[int, str]] = {
    0: "class not started",
    1: "class started",
    2: "class ended",
    3: "class closed after overtime",
}
ROLE_NAMES: Final[dict[int, str]] = {1: "teacher", 2: "student"}


def kind_name(cmd: int) -> str:
    return KIND_NAMES.get(cmd, UNKNOWN_KIND)


def cmd_for_name(value: str) -> int | None:
    """A cmd from a kind name or a number ("chat" -> 3, "1001" -> 1001); None if neither."""
    value = value.strip().lower()
    if value.isdigit():
        return int(value)
    for cmd, name in KIND_NAMES.items():
        if name == value:
            return cmd
    return None


def role_name(role: object) -> str:
    if isinstance(role, int) and not isinstance(role, bool) and role in ROLE_NAMES:
        return ROLE_NAMES[role]
    return f"role {role}"
