"""Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Locker).

Entries live under the service name "classroom-tui" with these user names:

    profile:<name>:token             the REST token of profile <name>
    profile:<name>:app-certificate   the App Certificate of profile <name> (certificate profiles)

Every call may block (D-Bus on Linux): the UI calls them from thread workers, never at import.
Failures become `CredentialStoreError`, whose message is one sentence and never holds a secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors

KEYRING_SERVICE = "classroom-tui"
ENV_TOKEN = "CLASSROOM_TUI_TOKEN"

_T = TypeVar("_T")


class CredentialStoreError(Exception):
    """The keyring could not be used; the message says why and how to fix it."""


def token_key(profile: str) -> str:
    return f"profile:{profile}:token"


def certificate_key(profile: str) -> str:
    return f"profile:{profile}:app-certificate"


def get_token(profile: str) -> str | None:
    return _get(token_key(profile))


def set_token(profile: str, token: str) -> None:
    _set(token_key(profile), token)


def delete_token(profile: str) -> bool:
    """Forget the token; False when there was none."""
    return _delete(token_key(profile))


def get_certificate(profile: str) -> str | None:
    return _get(certificate_key(profile))


def set_certificate(profile: str, certificate: str) -> None:
    _set(certificate_key(profile), certificate)


def delete_certificate(profile: str) -> bool:
    """Forget the App Certificate; False when there was none."""
    return _delete(certificate_key(profile))


def backend_name() -> str:
    """The keyring backend in use, e.g. "keyring.backends.SecretService.Keyring (priority 5)"."""
    backend = _guarded("find an OS keyring backend", keyring.get_keyring)
    kind = type(backend)
    try:
        priority = f" (priority {backend.priority:g})"
    except Exception:  # some backends compute the priority and may fail doing it
        priority = ""
    return f"{kind.__module__}.{kind.__qualname__}{priority}"


def availability_problem() -> str | None:
    """Why the keyring cannot be used right now (one sentence), or None when it works."""
    try:
        _get("availability-check")
    except CredentialStoreError as error:
        return str(error)
    return None


def _get(key: str) -> str | None:
    value: str | None = _guarded(
        "read from the OS keyring", lambda: keyring.get_password(KEYRING_SERVICE, key)
    )
    return value or None


def _set(key: str, secret: str) -> None:
    if not secret:
        raise CredentialStoreError("refusing to store an empty secret in the keyring")
    _guarded("write to the OS keyring", lambda: keyring.set_password(KEYRING_SERVICE, key, secret))


def _delete(key: str) -> bool:
    if _get(key) is None:
        return False
    _guarded("delete from the OS keyring", lambda: keyring.delete_password(KEYRING_SERVICE, key))
    return True


def _guarded(action: str, call: Callable[[], _T]) -> _T:
    """Run a keyring call; any backend failure (they raise all sorts) becomes one clear line."""
    try:
        return call()
    except keyring.errors.NoKeyringError:
        raise CredentialStoreError(
            "no OS keyring is available: install and run a Secret Service such as gnome-keyring "
            f"(Debian: apt-get install gnome-keyring dbus), or set {ENV_TOKEN}"
        ) from None
    except keyring.errors.KeyringLocked:
        raise CredentialStoreError(
            "the OS keyring is locked: unlock it (e.g. log in to the desktop session) and retry"
        ) from None
    except Exception as error:
        # Backend messages describe D-Bus or OS failures; they never contain the secret.
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CredentialStoreError(f"could not {action}: {detail[:200]}") from None
