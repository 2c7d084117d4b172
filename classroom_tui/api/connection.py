"""Where the service is and who we are: plain data, no HTTP library needed to hold it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from .errors import InvalidInput

AuthStyle = Literal["headers", "authorization"]
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class ConnectionSettings:
    """The token never appears in repr()."""

    base_url: str
    app_id: str
    uid: str
    token: str = field(repr=False)
    auth_style: AuthStyle = "headers"
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if base_url_problem(self.base_url):
            raise InvalidInput(f"base URL {self.base_url!r} is not an http(s) URL")
        if not self.app_id:
            raise InvalidInput("the App ID is empty")
        if not self.uid:
            raise InvalidInput("the uid is empty")
        if self.timeout <= 0:
            raise InvalidInput("the timeout must be positive")

    def with_token(self, token: str) -> ConnectionSettings:
        return replace(self, token=token)


def base_url_problem(base_url: str) -> bool:
    """True when `base_url` is not an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(base_url)
        host = parts.hostname
    except ValueError:
        return True
    return parts.scheme not in ("http", "https") or not host
