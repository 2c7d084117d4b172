"""Command line entry point. Each `*_cmd` module in this package registers its subcommands;
running without a subcommand opens the console."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from .. import __version__
from ..settings import add_connection_arguments
from .exit_codes import EXIT_CODES_HELP, run_handler

# The module that registers each command: running one imports only its module (the sandbox
# command alone pulls in uvicorn and starlette, ~60 ms). tests/unit/test_cli_parser.py checks
# this table against what the modules register.
COMMAND_MODULES = {
    "audit": "history_cmd",
    "class": "api_cmd",
    "events": "api_cmd",
    "history": "history_cmd",
    "info": "profile_cmd",
    "login": "profile_cmd",
    "logout": "profile_cmd",
    "recording": "api_cmd",
    "records": "api_cmd",
    "sandbox": "sandbox_cmd",
    "token": "token_cmd",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: the console's flags and every command (or, given a command's
    name, only the commands of its module)."""
    parser = build_console_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command is None:
        modules = _command_modules()
    else:
        modules = [importlib.import_module(f"{__name__}.{COMMAND_MODULES[command]}")]
    for module in modules:
        module.register(subparsers)
    return parser


def build_console_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The flags of `classroom-tui` without a command (opening the console)."""
    parser = argparse.ArgumentParser(
        prog="classroom-tui",
        add_help=add_help,
        description=(
            "A terminal console for the Flexible Classroom cloud service. Without a command it "
            "opens the console; the commands below are its scripting face."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    console = parser.add_argument_group(
        "console", "Without a command: open the console (flags for commands go after them)."
    )
    console.add_argument(
        "--demo",
        action="store_true",
        help="open the console against a built-in sandbox with simulated classes",
    )
    add_connection_arguments(parser)
    return parser


def _command_modules() -> list[ModuleType]:
    names = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.endswith("_cmd")
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    console_args = _console_only(arguments)
    if console_args is not None:
        return run_handler(_open_console, console_args)
    parser = build_parser(_command_named(arguments))
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _open_console
    return run_handler(handler, args)


def _console_only(arguments: list[str]) -> argparse.Namespace | None:
    """The parsed flags when the command line only opens the console, else None.

    The console starts without importing the command modules (their imports cost a good part
    of a second); anything else (a command, --help, --version) goes to the full parser."""
    if any(arg in ("-h", "--help", "--version") for arg in arguments):
        return None
    args, rest = build_console_parser(add_help=False).parse_known_args(arguments)
    return None if rest else args


def _command_named(arguments: list[str]) -> str | None:
    """The command the arguments run, if the console's flags come before it; None when it is
    not a known command or a flag (--help) comes first: then the full parser answers."""
    _, rest = build_console_parser(add_help=False).parse_known_args(arguments)
    if rest and rest[0] in COMMAND_MODULES:
        return rest[0]
    return None


def _open_console(args: argparse.Namespace) -> int:
    # Imported here so that the headless commands never pay for Textual.
    from ..ui.launch import run_console

    return run_console(args)
