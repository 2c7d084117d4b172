"""Where a fetched batch goes first: into the journal (one transaction, gaps included), then
out in display order. Shared by the console's poller and `classroom-tui events`."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ..api.models import Event
from .journal import Journal, JournalUnavailable
from .ordering import Gap, RoomSequencer, sort_batch


class EventCollector:
    """Journal a batch, then hand back what to show: events in per-room order, with a Gap
    before an event where sequences are missing, repeats dropped.

    If the journal fails, the batch is still returned (the events exist nowhere else now),
    the journal is dropped, and `journal_error` says why; the caller must show that."""

    def __init__(self, journal: Journal | None, sequencer: RoomSequencer | None = None) -> None:
        self.journal = journal
        self.sequencer = sequencer if sequencer is not None else RoomSequencer()
        self.journal_error: JournalUnavailable | None = None
        self.duplicates = 0

    @classmethod
    def resume(cls, journal: Journal | None) -> EventCollector:
        """A collector whose sequencer continues from the journal's last sequence per room,
        so a restart neither re-shows stored events nor misses a gap across it."""
        last_seen: dict[str, int] = {}
        collector = cls(journal)
        if journal is not None:
            try:
                last_seen = journal.last_sequences()
            except JournalUnavailable as error:
                collector._drop_journal(error)
        collector.sequencer = RoomSequencer(last_seen)
        return collector

    def accept(self, batch: Sequence[Event], fetched_at: float | None = None) -> list[Event | Gap]:
        ordered = sort_batch(batch)
        gaps_before = self.sequencer.gaps
        shown = self.sequencer.order_sorted(ordered)
        if self.journal is not None:
            gaps: list[Gap] = []
            if self.sequencer.gaps != gaps_before:
                gaps = [item for item in shown if isinstance(item, Gap)]
            try:
                result = self.journal.append_batch(
                    ordered,
                    time.time() if fetched_at is None else fetched_at,
                    gaps=gaps,
                )
                self.duplicates += result.duplicates
            except JournalUnavailable as error:
                self._drop_journal(error)
        return shown

    def take_journal_error(self) -> JournalUnavailable | None:
        """The journal failure not yet reported, once."""
        error, self.journal_error = self.journal_error, None
        return error

    def _drop_journal(self, error: JournalUnavailable) -> None:
        self.journal_error = error
        journal, self.journal = self.journal, None
        if journal is not None:
            journal.close()
