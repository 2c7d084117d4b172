"""Event decoding (and, later, the journal). No Textual here."""

from .decode import DecodedEvent, EventDecoder, UserDirectory
from .names import KIND_NAMES, cmd_for_name, kind_name

__all__ = [
    "KIND_NAMES",
    "DecodedEvent",
    "EventDecoder",
    "UserDirectory",
    "cmd_for_name",
    "kind_name",
]
