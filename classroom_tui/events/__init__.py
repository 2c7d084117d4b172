"""Events after the client: decoding, per-room ordering and gaps, the durable journal, export.
No Textual here: the CLI, the console and the tests share it."""

from .collector import EventCollector
from .decode import DecodedEvent, EventDecoder, UserDirectory
from .export import event_json_line, export_to_file, write_csv, write_json_lines
from .journal import Journal, JournalUnavailable, journal_path
from .journal_audit import record_outcome
from .journal_models import AuditEntry, BatchResult, JournalStats, StoredEvent, StoredGap
from .journal_query import parse_time_bound
from .names import KIND_NAMES, cmd_for_name, kind_name
from .ordering import Gap, RoomSequencer

__all__ = [
    "KIND_NAMES",
    "AuditEntry",
    "BatchResult",
    "DecodedEvent",
    "EventCollector",
    "EventDecoder",
    "Gap",
    "Journal",
    "JournalStats",
    "JournalUnavailable",
    "RoomSequencer",
    "StoredEvent",
    "StoredGap",
    "UserDirectory",
    "cmd_for_name",
    "event_json_line",
    "export_to_file",
    "journal_path",
    "kind_name",
    "parse_time_bound",
    "record_outcome",
    "write_csv",
    "write_json_lines",
]
