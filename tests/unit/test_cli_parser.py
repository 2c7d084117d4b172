"""The command table main() uses to import only the module of the command it runs."""

from __future__ import annotations

import argparse

import pytest

from classroom_tui.cli import COMMAND_MODULES, _command_modules, build_parser


def registered(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(subparsers.choices)


def test_the_table_names_every_command_and_its_module() -> None:
    expected: dict[str, str] = {}
    for module in _command_modules():
        for name in registered(build_parser_with(module)):
            expected[name] = module.__name__.rsplit(".", 1)[1]
    assert expected == COMMAND_MODULES


def build_parser_with(module: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    module.register(parser.add_subparsers())  # type: ignore[attr-defined]
    return parser


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_a_command_alone_parses_like_in_the_full_parser(command: str) -> None:
    alone = registered(build_parser(command))[command]
    full = registered(build_parser())[command]
    assert alone.format_help() == full.format_help()
