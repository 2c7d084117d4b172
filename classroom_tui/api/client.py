"""One async client for the four endpoints of the Flexible Classroom service."""

from __future__ import annotations

import asyncio
import enum
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from .connection import ConnectionSettings
from .errors import (
    ApiError,
    ClassroomError,
    ConnectionDropped,
    InvalidInput,
    InvalidResponse,
    RateLimited,
    RequestTimedOut,
    ServiceUnreachable,
    TransportError,
    api_error_for,
)
from .models import ClassState, Envelope, Event, Record, RecordingAction, RecordPage, parse_events
from .retry import RetryPolicy, parse_retry_after
from .rooms import encode_path_segment, validate_room_uuid

MAX_NEXT_ID_LENGTH = 512


class _Repeat(enum.Enum):
    """When a failed request may be sent again."""

    # Listing recordings changes nothing: repeat after any transport failure or 429/500/503.
    ALWAYS_SAFE = "always"
    # State changes and polls: repeat only when the request cannot have reached the service.
    ONLY_IF_UNSENT = "unsent"


class _NotSent(Exception):
    """Internal marker: the request failed before any byte could reach the service."""

    def __init__(self, error: TransportError) -> None:
        self.error = error


class ClassroomClient:
    """Async client. Use as `async with ClassroomClient(settings) as client: ...`."""

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        retry: RetryPolicy | None = None,
        token_provider: Callable[[], str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._token_provider = token_provider
        self._base = settings.base_url.rstrip("/")
        self._app = encode_path_segment(settings.app_id)
        timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 5.0))
        # The same on every request; only the token (renewed as it expires) is sent per request.
        fixed_headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "x-agora-uid": settings.uid,
        }
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, headers=fixed_headers)

    async def __aenter__(self) -> ClassroomClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the four endpoints -------------------------------------------------------------

    async def set_class_state(self, room_uuid: str, state: ClassState | int) -> Envelope:
        state = _checked_choice(state, (0, 1, 2), "class state")
        path = f"{self._room_path(room_uuid)}/states/{state}"
        return await self._request("PUT", path, _Repeat.ONLY_IF_UNSENT)

    async def set_recording_state(self, room_uuid: str, action: RecordingAction | int) -> Envelope:
        action = _checked_choice(action, (1, 2), "recording state")
        path = f"{self._room_path(room_uuid)}/records/states/{action}"
        return await self._request("PUT", path, _Repeat.ONLY_IF_UNSENT)

    async def list_records(self, room_uuid: str, next_id: str | None = None) -> RecordPage:
        path = f"{self._room_path(room_uuid)}/records"
        params = {"nextId": _checked_next_id(next_id)} if next_id is not None else None
        envelope = await self._request("GET", path, _Repeat.ALWAYS_SAFE, params=params)
        return RecordPage.from_json(envelope.data)

    async def iter_record_pages(
        self, room_uuid: str, next_id: str | None = None
    ) -> AsyncIterator[RecordPage]:
        """Every page from `next_id` (or the first) to the last."""
        while True:
            page = await self.list_records(room_uuid, next_id)
            yield page
            if page.next_id is None or page.next_id == next_id:
                return
            next_id = page.next_id

    async def iter_records(self, room_uuid: str) -> AsyncIterator[Record]:
        async for page in self.iter_record_pages(room_uuid):
            for record in page.records:
                yield record

    async def poll_events(self) -> list[Event]:
        """Fetch the pending events. The service hands each event out once: a poll whose
        answer arrived is never repeated, whatever that answer was."""
        path = f"/edu/polling/apps/{self._app}/v2/rooms/sequences"
        envelope = await self._request("GET", path, _Repeat.ONLY_IF_UNSENT)
        return parse_events(envelope.data)

    # -- plumbing -------------------------------------------------------------------------

    def _room_path(self, room_uuid: str) -> str:
        room = encode_path_segment(validate_room_uuid(room_uuid))
        return f"/edu/apps/{self._app}/v2/rooms/{room}"

    def _headers(self) -> dict[str, str]:
        token = self._token_provider() if self._token_provider else self.settings.token
        if self.settings.auth_style == "authorization":
            return {"Authorization": f"agora token={token}"}
        return {"x-agora-token": token}

    async def _request(
        self,
        method: str,
        path: str,
        repeat: _Repeat,
        params: dict[str, str] | None = None,
    ) -> Envelope:
        attempt = 1
        while True:
            try:
                return await self._send_once(method, path, params)
            except _NotSent as not_sent:
                error: ClassroomError = not_sent.error
                retry_after = None
            except TransportError as transport_error:
                if repeat is not _Repeat.ALWAYS_SAFE:
                    raise
                error, retry_after = transport_error, None
            except ApiError as api_error:
                if not _may_repeat_api_error(api_error, repeat):
                    raise
                error, retry_after = api_error, api_error.retry_after
            if attempt >= self.retry.attempts:
                raise error
            await asyncio.sleep(self.retry.delay(attempt, retry_after))
            attempt += 1

    async def _send_once(self, method: str, path: str, params: dict[str, str] | None) -> Envelope:
        url = self._base + path
        try:
            response = await self._http.request(method, url, params=params, headers=self._headers())
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise _NotSent(RequestTimedOut(f"no connection to {self._base}: {exc}")) from None
        except httpx.ConnectError as exc:
            raise _NotSent(ServiceUnreachable(f"{self._base}: {_reason(exc)}")) from None
        except httpx.TimeoutException:
            raise RequestTimedOut(
                f"no answer from {self._base} within {self.settings.timeout:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise ConnectionDropped(f"{self._base}: {_reason(exc)}") from None
        return _envelope_from(response)


def _envelope_from(response: httpx.Response) -> Envelope:
    body: Any = None
    parsed = False
    if response.content:
        try:
            body = json.loads(response.content)
            parsed = True
        except (ValueError, UnicodeDecodeError):
            parsed = False
    if response.is_success:
        if not parsed:
            raise InvalidResponse(f"HTTP {response.status_code} with a body that is not JSON")
        envelope = Envelope.from_json(body)
        if envelope.code != 0:
            raise api_error_for(response.status_code, envelope.code, envelope.msg)
        return envelope
    code: int | None = None
    server_msg: str | None = None
    if parsed and isinstance(body, dict):
        raw_code = body.get("code")
        if isinstance(raw_code, int) and not isinstance(raw_code, bool):
            code = raw_code
        raw_msg = body.get("msg", body.get("message"))
        server_msg = raw_msg if isinstance(raw_msg, str) else None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    raise api_error_for(response.status_code, code, server_msg, retry_after)


def _may_repeat_api_error(error: ApiError, repeat: _Repeat) -> bool:
    if isinstance(error, RateLimited):
        # A 429 means the service did not act on the request: safe to repeat for every call.
        return True
    return repeat is _Repeat.ALWAYS_SAFE and error.http_status in (500, 502, 503, 504)


def _checked_choice(value: int, allowed: tuple[int, ...], what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or int(value) not in allowed:
        choices = ", ".join(str(v) for v in allowed)
        raise InvalidInput(f"{what} must be one of {choices}, not {value!r}")
    return int(value)


def _checked_next_id(next_id: str) -> str:
    if (
        not next_id
        or len(next_id) > MAX_NEXT_ID_LENGTH
        or not next_id.isprintable()
        or not next_id.isascii()
    ):
        raise InvalidInput(f"page token {next_id!r} is not a valid nextId")
    return next_id


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
