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
from .exit_codes import EXIT_CODES_HELP, EXIT_USAGE, run_handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="classroom-tui",
        description=(
            "A terminal console for the Flexible Classroom cloud service. Without a command it "
            "opens the console; the commands below are its scripting face."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def _command_modules() -> list[ModuleType]:
    names = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.endswith("_cmd")
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        print(
            "classroom-tui: the console is not available yet; see --help for the commands",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_handler(handler, args)
