"""Between the poll loop and the console: each batch goes through the journal thread (committed
before it is shown and before the next poll), and a 401 first tries a renewed token."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from ..api import AuthenticationFailed, ClassroomError, Event
from ..auth.rtm_token import TokenError
from ..auth.token_source import TokenSource
from .messages import AuthenticationRejected, EventsFetched, PollFailed
from .poller import PollSink

if TYPE_CHECKING:
    from ..api import ClassroomClient
    from .app import ClassroomApp


class AppSink(PollSink):
    def __init__(self, app: ClassroomApp) -> None:
        self.app = app

    async def batch(self, events: Sequence[Event], latency: float) -> None:
        service = self.app.journal_service
        batch = list(events)
        if not service.needs(batch):
            self.app.deliver_batch(EventsFetched(batch, latency, [], None))
            return
        try:
            accepted = await service.run(lambda: service.accept(batch))
        except Exception as error:
            self.app.deliver_batch(EventsFetched(batch, latency, None, f"journal failed: {error}"))
            return
        fetched = EventsFetched(batch, latency, accepted.shown, accepted.journal_error)
        self.app.deliver_batch(fetched)

    def failed(self, error: ClassroomError, failures: int, retry_in: float) -> None:
        self.app.post_message(PollFailed(error, failures, retry_in))

    def auth_failed(self, error: ClassroomError) -> None:
        self.app.post_message(AuthenticationRejected(error.describe()))


def renewing_fetch(
    client: ClassroomClient, source: TokenSource | None
) -> Callable[[], Awaitable[list[Event]]]:
    """`client.poll_events`, except that a 401 with a source that can mint renews the token
    and asks once more; only a second 401 goes to the login screen."""

    async def fetch() -> list[Event]:
        try:
            return await client.poll_events()
        except AuthenticationFailed:
            if source is None or not source.can_renew:
                raise
        # The token may have expired under us (suspend, clock skew): mint a new one, once.
        with contextlib.suppress(TokenError):
            source.renew()
        return await client.poll_events()

    return fetch
