"""A transport for headless commands that poll in a tight loop: the ClassroomClient's
requests go out over httpx's synchronous connection pool, blocking the event loop while a
request is in flight. Nothing else runs on a headless command's loop, and the sync pool costs
about half the CPU per request of the async one (anyio streams, task switches).

Same client, same errors: httpx maps failures to the same exception types either way, so
ClassroomClient turns them into the same ClassroomErrors and repeats the same requests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Iterator

import httpx

# httpx takes proxies from these when it builds its own transport; a custom transport would
# silently skip them, so with any of them set the default (async) transport is kept.
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


class BlockingTransport(httpx.AsyncBaseTransport):
    """Sends each request with httpx.HTTPTransport and hands back the whole body."""

    def __init__(self) -> None:
        self._sync = httpx.HTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The one point where this request suspends: a Ctrl-C while the loop runs (a task
        # cancellation) lands here, before anything is sent.
        await asyncio.sleep(0)
        if not isinstance(request.stream, httpx.SyncByteStream):
            request = _with_sync_body(request, await request.aread())
        with _interruptible():
            response = self._sync.handle_request(request)
            try:
                raw = b"".join(response.iter_raw())
            finally:
                response.close()
        # The body as received (still content-encoded): the client decodes it as usual.
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
            request=request,
        )

    async def aclose(self) -> None:
        self._sync.close()


def blocking_transport() -> BlockingTransport | None:
    """A BlockingTransport, or None (keep the default) when a proxy is configured."""
    if any(os.environ.get(name) or os.environ.get(name.lower()) for name in _PROXY_VARIABLES):
        return None
    return BlockingTransport()


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """While a request blocks the loop, Ctrl-C raises KeyboardInterrupt at once: asyncio's
    own handler only cancels the task, which would wait for the answer or the timeout. The
    answer in flight is then lost, as with the async transport; nothing was journaled yet."""
    handler = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(handler):
        yield  # not ours to change: another thread, or Ctrl-C ignored (SIG_IGN) or default
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


def _with_sync_body(request: httpx.Request, body: bytes) -> httpx.Request:
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers,
        content=body,
        extensions=request.extensions,
    )
