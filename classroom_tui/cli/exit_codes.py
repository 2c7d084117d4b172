"""Exit statuses, and the one place where errors become one line on stderr."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from ..api import AuthenticationFailed, ClassroomError, InvalidInput, TransportError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_API = 4
EXIT_NETWORK = 5

EXIT_CODES_HELP = """\
exit status:
  0  success
  1  a local problem (config, keyring or journal could not be used)
  2  bad usage or invalid input (nothing was sent)
  3  authentication failed (HTTP 401): check the App ID, uid and token
  4  the service answered with an error (HTTP status, business code and meaning on stderr)
  5  network failure: the service was unreachable, timed out or dropped the connection
  130 interrupted (Ctrl-C)
"""


class CommandError(Exception):
    """A failure a command reports as one line, with its exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# Errors of local modules that become one line and an exit status. They are looked up only in
# modules already imported: an error can only be of a type whose module has been loaded, and
# this keeps slow imports (keyring) off the path of commands that never use them.
_LOCAL_ERRORS: tuple[tuple[str, str, int], ...] = (
    ("classroom_tui.config", "ConfigError", EXIT_FAILURE),
    ("classroom_tui.config", "InvalidValue", EXIT_USAGE),
    ("classroom_tui.auth.credentials", "CredentialStoreError", EXIT_FAILURE),
    ("classroom_tui.events.journal", "JournalUnavailable", EXIT_FAILURE),
    ("classroom_tui.auth.rtm_token", "TokenError", EXIT_USAGE),
    ("classroom_tui.sandbox.server", "SandboxStartError", EXIT_FAILURE),
)


def _local_exit_code(error: BaseException) -> int | None:
    for module_name, class_name, code in _LOCAL_ERRORS:
        module = sys.modules.get(module_name)
        error_type = getattr(module, class_name, None) if module else None
        if isinstance(error_type, type) and isinstance(error, error_type):
            return code
    return None


def exit_code_for(error: BaseException) -> int:
    local = _local_exit_code(error)
    if local is not None:
        return local
    if isinstance(error, CommandError):
        return error.exit_code
    if isinstance(error, InvalidInput):
        return EXIT_USAGE
    if isinstance(error, AuthenticationFailed):
        return EXIT_AUTH
    if isinstance(error, TransportError):
        return EXIT_NETWORK
    if isinstance(error, ClassroomError):
        return EXIT_API
    return EXIT_FAILURE


def error_line(error: BaseException) -> str:
    if isinstance(error, InvalidInput):
        return f"invalid input: {error}"
    return str(error)


def fail(message: str) -> None:
    print(f"classroom-tui: {message}", file=sys.stderr)


def run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; every expected failure becomes one line on stderr and an exit status."""
    try:
        return handler(args)
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except (CommandError, InvalidInput, ClassroomError) as error:
        fail(error_line(error))
        return exit_code_for(error)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error worth a message.
        return EXIT_OK
    except asyncio.CancelledError:
        fail("cancelled")
        return EXIT_FAILURE
    except Exception as error:
        code = _local_exit_code(error)
        if code is None:
            raise
        fail(str(error))
        return code
