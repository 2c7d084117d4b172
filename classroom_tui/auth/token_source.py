"""Where the client gets its RTM token: a fixed (pasted) token, or one minted from the App
Certificate and renewed before it expires.

Textual-free and thread-safe: `current()` may be called from any thread (the poller, a worker)
and does no I/O; renewing is an HMAC computation. The token and the certificate never appear
in repr() nor in any message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .rtm_token import DEFAULT_LIFETIME, TokenError, build_rtm_token, decode_token

__all__ = ["DEFAULT_LIFETIME", "TokenSource", "renewal_margin"]

_MARGIN_FLOOR = 60.0
_MARGIN_SHARE = 0.1


def renewal_margin(lifetime: float) -> float:
    """Renew when less than this many seconds are left: 10% of the lifetime, at least a minute
    (at least half the lifetime for lifetimes under two minutes, so short test tokens work)."""
    return max(min(_MARGIN_FLOOR, lifetime / 2), lifetime * _MARGIN_SHARE)


class _Minter:
    """The inputs needed to mint again; kept apart so repr() of the source cannot show them."""

    __slots__ = ("_app_id", "_certificate", "_uid", "lifetime")

    def __init__(self, app_id: str, certificate: str, uid: str, lifetime: int) -> None:
        self._app_id = app_id
        self._certificate = certificate
        self._uid = uid
        self.lifetime = lifetime

    def mint(self, now: float) -> tuple[str, float]:
        issue_ts = int(now)
        token = build_rtm_token(
            self._app_id, self._certificate, self._uid, self.lifetime, issue_ts=issue_ts
        )
        return token, float(issue_ts + self.lifetime)

    def __repr__(self) -> str:
        return f"<minter lifetime={self.lifetime}>"


class TokenSource:
    """The token to send with each request. Build one with `static()` or `minting()`."""

    def __init__(
        self,
        token: str,
        expires_at: float | None,
        minter: _Minter | None,
        clock: Callable[[], float],
    ) -> None:
        self._token = token
        self._expires_at = expires_at
        self._minter = minter
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def static(cls, token: str) -> TokenSource:
        """A token that is used as given and never renewed. Its expiry is read from it when it
        is a 007/006 token, else unknown."""
        return cls(token, _decoded_expiry(token), None, time.time)

    @classmethod
    def minting(
        cls,
        app_id: str,
        app_certificate: str,
        uid: str,
        lifetime: int = DEFAULT_LIFETIME,
        *,
        clock: Callable[[], float] = time.time,
    ) -> TokenSource:
        """Tokens minted from the App Certificate for `uid`, renewed before they expire.

        Mints the first token now, so bad inputs raise `TokenError` here and not later."""
        minter = _Minter(app_id, app_certificate, uid, lifetime)
        token, expires_at = minter.mint(clock())
        return cls(token, expires_at, minter, clock)

    def current(self) -> str:
        """The token to send now, renewed first when it is close to expiring."""
        with self._lock:
            if self._minter is not None and self._renewal_due():
                self._renew_locked()
            return self._token

    def renew(self) -> str:
        """A new token now, e.g. after the service answered 401. Raises `TokenError` when this
        source cannot mint."""
        with self._lock:
            self._renew_locked()
            return self._token

    @property
    def expires_at(self) -> float | None:
        """Unix seconds when the current token expires; None when unknown."""
        with self._lock:
            return self._expires_at

    @property
    def can_renew(self) -> bool:
        return self._minter is not None

    @property
    def lifetime(self) -> int | None:
        """Seconds each minted token is valid; None for a static token."""
        return self._minter.lifetime if self._minter is not None else None

    def describe_expiry(self, now: float | None = None) -> str:
        """Short status-line text: "token 52m", "token 3h05m", "token expired", "token ?"."""
        expires_at = self.expires_at
        if expires_at is None:
            return "token ?"
        remaining = expires_at - (self._clock() if now is None else now)
        if remaining <= 0:
            return "token expired"
        return f"token {_short_duration(remaining)}"

    def __repr__(self) -> str:
        kind = "minting" if self._minter is not None else "static"
        return f"TokenSource({kind}, expires_at={self._expires_at!r})"

    def _renewal_due(self) -> bool:
        assert self._minter is not None and self._expires_at is not None
        remaining = self._expires_at - self._clock()
        return remaining < renewal_margin(self._minter.lifetime)

    def _renew_locked(self) -> None:
        if self._minter is None:
            raise TokenError(
                "the token cannot be renewed: it was given as is, not minted from an "
                "App Certificate"
            )
        self._token, self._expires_at = self._minter.mint(self._clock())


def _decoded_expiry(token: str) -> float | None:
    try:
        expire = decode_token(token).expire
    except TokenError:
        return None
    # A 006 token without an RTM login privilege has no expiry of its own.
    return float(expire) if expire > 0 else None


def _short_duration(seconds: float) -> str:
    """Rounded down, so the status line never promises more time than is left."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    return f"{hours // 24}d"
