"""The page chain of one room's recordings, without Textual: it keeps every page loaded so far
(so going back costs no request) and loads the next one ahead of the reader. Also how a
record's times read in the table."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from ...api import RecordPage

MISSING = "—"
FetchPage = Callable[[str | None], Awaitable[RecordPage]]


@dataclass(frozen=True)
class PagePosition:
    number: int
    first: int
    last: int
    total: int

    def describe(self) -> str:
        if self.last < self.first:
            return f"page {self.number} · no recordings" + (
                f" (of {self.total})" if self.total else ""
            )
        return f"page {self.number} · records {self.first}-{self.last} of {self.total}"


class RecordPager:
    """Pages of one room. `fetch(next_id)` loads a page; None asks for the first."""

    def __init__(self, fetch: FetchPage) -> None:
        self._fetch = fetch
        self._pages: list[RecordPage] = []
        self._index = -1
        # One load at a time, so a prefetch and a keypress never ask for the same page twice.
        self._lock = asyncio.Lock()
        self.requests = 0

    @property
    def current(self) -> RecordPage | None:
        return self._pages[self._index] if self._index >= 0 else None

    @property
    def index(self) -> int:
        """The current page's place in the chain (0 is page 1); -1 before the first."""
        return self._index

    @property
    def loaded(self) -> int:
        return len(self._pages)

    def has_next(self) -> bool:
        return self._token_after(self._index) is not None

    def has_previous(self) -> bool:
        return self._index > 0

    def next_is_cached(self) -> bool:
        return self._index + 1 < len(self._pages)

    async def first(self) -> RecordPage:
        page = await self._load(0)
        self._index = 0
        return page

    async def next(self) -> RecordPage | None:
        """The following page (from the cache when prefetched); None on the last page."""
        if not self.has_next():
            return None
        target = self._index + 1
        page = await self._load(target)
        self._index = target
        return page

    def next_cached(self) -> RecordPage | None:
        """The following page if it is already loaded, without waiting; else None."""
        if not self.next_is_cached():
            return None
        self._index += 1
        return self._pages[self._index]

    def peek_next(self) -> RecordPage | None:
        """The following page if it is already loaded, staying on the current one."""
        return self._pages[self._index + 1] if self.next_is_cached() else None

    def previous(self) -> RecordPage | None:
        """The page before, always from the cache; None on the first page."""
        if self._index <= 0:
            return None
        self._index -= 1
        return self._pages[self._index]

    async def prefetch(self) -> None:
        """Load the page after the current one, if there is one and it is not loaded yet."""
        if self.has_next() and not self.next_is_cached():
            await self._load(self._index + 1)

    def position(self) -> PagePosition:
        page = self.current
        if page is None:
            return PagePosition(0, 0, -1, 0)
        before = sum(len(p.records) for p in self._pages[: self._index])
        return PagePosition(self._index + 1, before + 1, before + len(page.records), page.total)

    def _token_after(self, index: int) -> str | None:
        if index < 0 or index >= len(self._pages):
            return None
        token = self._pages[index].next_id
        previous_token = self._pages[index - 1].next_id if index > 0 else None
        # A service that hands back the token it was given would loop forever: stop there.
        return None if token == previous_token else token

    async def _load(self, index: int) -> RecordPage:
        async with self._lock:
            if index < len(self._pages):
                return self._pages[index]
            if index != len(self._pages):
                raise IndexError(f"page {index + 1} cannot be loaded before page {index}")
            token = None if index == 0 else self._token_after(index - 1)
            if index > 0 and token is None:
                raise IndexError(f"there is no page {index + 1}")
            self.requests += 1
            page = await self._fetch(token)
            self._pages.append(page)
            return page


def format_time(ms: int | None, *, since: int | None = None) -> str:
    """Local time to the minute; after `since` (the start) only the time, with "+Nd" when the
    recording ran past midnight, so the column stays narrow."""
    if ms is None:
        return MISSING
    moment = datetime.fromtimestamp(ms / 1000)
    if since is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    days = (moment.date() - datetime.fromtimestamp(since / 1000).date()).days
    return moment.strftime("%H:%M") + (f" +{days}d" if days else "")


def format_duration(ms: int | None) -> str:
    if ms is None:
        return MISSING
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"
