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


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the console's flags and every command."""
    parser = build_console_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
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
    parser = build_parser()
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


def _open_console(args: argparse.Namespace) -> int:
    # Imported here so that the headless commands never pay for Textual.
    from ..ui.launch import run_console

    return run_console(args)
