"""Every expected failure becomes one line on stderr and its documented exit status."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from classroom_tui import api
from classroom_tui.auth.credentials import CredentialStoreError
from classroom_tui.auth.rtm_token import MalformedToken
from classroom_tui.cli.exit_codes import CommandError, run_handler
from classroom_tui.config import ConfigError


def raising(error: BaseException) -> Callable[[argparse.Namespace], int]:
    def handler(_args: argparse.Namespace) -> int:
        raise error

    return handler


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (api.InvalidRoomId("a/b", "character '/' is not allowed"), 2),
        (api.AuthenticationFailed(http_status=401), 3),
        (api.RoomNotFound(http_status=404, code=20404100), 4),
        (api.RequestTimedOut("no answer"), 5),
        (api.InvalidResponse("not JSON"), 5),
        (CommandError("port in use", 1), 1),
        (MalformedToken("not a token"), 2),
        (CredentialStoreError("no keyring backend"), 1),
        (KeyboardInterrupt(), 130),
    ],
)
def test_exit_codes(error: BaseException, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_handler(raising(error), argparse.Namespace()) == code
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("classroom-tui: ")


def test_config_error_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[profiles\n")
    from classroom_tui.config import load_config

    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert run_handler(raising(caught.value), argparse.Namespace()) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "line 1" in err


def test_unexpected_errors_are_not_hidden() -> None:
    with pytest.raises(ZeroDivisionError):
        run_handler(raising(ZeroDivisionError()), argparse.Namespace())
