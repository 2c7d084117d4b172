"""The recordings page chain: tokens followed in order, previous pages from the cache, the next
page loaded once whether by prefetch or keypress. The fetch function stands in for the client
(the pane's tests run the same pager against the sandbox)."""

from __future__ import annotations

import asyncio

import pytest

from classroom_tui.api import RecordPage
from classroom_tui.ui.widgets.recordings_pager import (
    PagePosition,
    RecordPager,
    format_duration,
    format_time,
)


def make_pages(total: int, size: int = 100) -> dict[str | None, RecordPage]:
    pages: dict[str | None, RecordPage] = {}
    token: str | None = None
    for start in range(0, total, size):
        end = min(start + size, total)
        following = f"id-{end}" if end < total else None
        pages[token] = RecordPage.from_json(
            {
                "total": total,
                "count": end - start,
                "nextId": following,
                "list": [{"recordId": f"id-{i}"} for i in range(start, end)],
            }
        )
        token = following
    if not pages:
        pages[None] = RecordPage.from_json({"total": 0, "count": 0, "nextId": None, "list": []})
    return pages


class Service:
    def __init__(self, total: int, delay: float = 0.0) -> None:
        self.pages = make_pages(total)
        self.asked: list[str | None] = []
        self.delay = delay

    async def fetch(self, next_id: str | None) -> RecordPage:
        self.asked.append(next_id)
        await asyncio.sleep(self.delay)
        return self.pages[next_id]


async def test_forward_follows_tokens_and_back_uses_cache() -> None:
    service = Service(250)
    pager = RecordPager(service.fetch)
    page = await pager.first()
    assert page.records[0].record_id == "id-0"
    assert pager.position().describe() == "page 1 · records 1-100 of 250"
    assert (await pager.next()) is not None
    assert pager.position().describe() == "page 2 · records 101-200 of 250"
    assert (await pager.next()) is not None
    assert pager.position() == PagePosition(3, 201, 250, 250)
    assert not pager.has_next()
    assert await pager.next() is None
    assert service.asked == [None, "id-100", "id-200"]
    assert pager.previous() is not None and pager.previous() is not None
    assert pager.position().number == 1 and pager.previous() is None
    assert service.asked == [None, "id-100", "id-200"]
    assert pager.next_cached() is not None  # page 2 again, no request
    assert len(service.asked) == 3 and pager.requests == 3


async def test_prefetch_then_next_asks_once() -> None:
    service = Service(250, delay=0.01)
    pager = RecordPager(service.fetch)
    await pager.first()
    # The keypress arrives while the prefetch is still on its way: one request, not two.
    await asyncio.gather(pager.prefetch(), pager.next())
    assert service.asked == [None, "id-100"]
    assert pager.position().number == 2
    await pager.prefetch()
    await pager.prefetch()
    assert service.asked == [None, "id-100", "id-200"]
    assert pager.next_cached() is not None and pager.position().number == 3
    await pager.prefetch()  # nothing after the last page
    assert len(service.asked) == 3


async def test_peek_next_shows_the_prefetched_page_without_moving() -> None:
    service = Service(250)
    pager = RecordPager(service.fetch)
    assert pager.index == -1 and pager.peek_next() is None
    await pager.first()
    assert pager.index == 0 and pager.peek_next() is None  # not loaded yet
    await pager.prefetch()
    ahead = pager.peek_next()
    assert ahead is not None and ahead.records[0].record_id == "id-100"
    assert pager.index == 0 and pager.position().number == 1
    assert pager.next_cached() is ahead and pager.index == 1
    assert pager.previous() is not None and pager.index == 0
    assert pager.peek_next() is ahead


async def test_a_token_that_repeats_ends_the_chain() -> None:
    looping = RecordPage.from_json({"total": 5, "nextId": "same", "list": [{"recordId": "a"}]})

    async def fetch(next_id: str | None) -> RecordPage:
        return looping

    pager = RecordPager(fetch)
    await pager.first()
    assert await pager.next() is not None
    assert not pager.has_next() and await pager.next() is None


async def test_empty_room_and_failed_fetch() -> None:
    pager = RecordPager(Service(0).fetch)
    await pager.first()
    assert pager.position().describe() == "page 1 · no recordings"

    async def failing(next_id: str | None) -> RecordPage:
        raise RuntimeError("down")

    broken = RecordPager(failing)
    with pytest.raises(RuntimeError):
        await broken.first()
    assert broken.current is None and broken.loaded == 0


@pytest.mark.parametrize(
    ("ms", "shown"),
    [(None, "—"), (0, "0m00s"), (59_999, "0m59s"), (61_000, "1m01s"), (3_723_000, "1h02m03s")],
)
def test_format_duration(ms: int | None, shown: str) -> None:
    assert format_duration(ms) == shown


def test_format_time_keeps_the_end_column_narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        start = 1_717_023_000_000  # 2024-05-29 22:50 UTC
        assert format_time(start) == "2024-05-29 22:50"
        assert format_time(start + 600_000, since=start) == "23:00"
        assert format_time(start + 3_600_000, since=start) == "23:50"
        assert format_time(start + 7_200_000, since=start) == "00:50 +1d"
        assert format_time(None) == "—"
    finally:
        monkeypatch.undo()
        time.tzset()
