"""`classroom-tui sandbox`: run the built-in local service until Ctrl-C."""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time

from ..sandbox import (
    DEFAULT_APP_ID,
    DEFAULT_PORT,
    DEFAULT_TOKEN,
    DEFAULT_UID,
    IDLE_ROOMS,
    FaultSpec,
    SandboxConfig,
    SandboxServer,
    SandboxStartError,
)
from .exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CommandError

DEFAULT_RATE = 5.0
MINTED_TOKEN_LIFETIME = 24 * 3600


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run the built-in local service (simulated classes, optional faults)",
        description=(
            "Run a local implementation of the Flexible Classroom REST service, with simulated "
            "classes, until Ctrl-C. It prints the base URL and the credentials to use. Rooms "
            f"{', '.join(repr(r) for r in IDLE_ROOMS)} are never touched by the simulation; a "
            "room that does not exist is created the first time its class state is set to 0 or 1."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free one)")
    parser.add_argument("--app-id", default=DEFAULT_APP_ID, help="the App ID to accept")
    parser.add_argument("--uid", default=DEFAULT_UID, help="the uid to accept")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the static token to accept")
    parser.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        metavar="EVENTS_PER_SECOND",
        help=f"simulated events per second in total, 0 for none (default {DEFAULT_RATE:g})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated world")
    parser.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help="fault injection, e.g. 'latency=0.2,error500=0.1,html503=0.05,ratelimit=0.05,"
        "retry_after=1,hang=0.02,hang_seconds=30,drop=0.02,malformed=0.02,reorder=0.1,gap=0.01'",
    )
    parser.add_argument("--batch-size", type=int, default=100, help="events per poll answer")
    parser.add_argument(
        "--app-certificate",
        metavar="HEX",
        help="verify RTM tokens signed with this App Certificate instead of the static token",
    )
    parser.add_argument(
        "--no-auto-create",
        action="store_true",
        help="answer 404 for unknown rooms instead of creating them on first use",
    )
    parser.add_argument(
        "--log-requests", action="store_true", help="print uvicorn's request log to stderr"
    )
    parser.set_defaults(handler=run_sandbox)


def build_config(args: argparse.Namespace) -> SandboxConfig:
    try:
        faults = FaultSpec.parse(args.faults)
    except ValueError as error:
        raise CommandError(f"invalid --faults: {error}", EXIT_USAGE) from None
    if not math.isfinite(args.rate) or args.rate < 0:
        raise CommandError("--rate must be a non-negative number", EXIT_USAGE)
    if args.batch_size < 1:
        raise CommandError("--batch-size must be at least 1", EXIT_USAGE)
    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} is outside 0-65535", EXIT_USAGE)
    for name in ("app_id", "uid", "token"):
        if not getattr(args, name):
            raise CommandError(f"--{name.replace('_', '-')} must not be empty", EXIT_USAGE)
    certificate = args.app_certificate
    if certificate is not None:
        from ..auth.rtm_token import is_valid_certificate

        if not is_valid_certificate(certificate):
            raise CommandError("--app-certificate must be 32 hexadecimal characters", EXIT_USAGE)
    return SandboxConfig(
        host=args.host,
        port=args.port,
        app_id=args.app_id,
        uid=args.uid,
        token=args.token,
        rate=args.rate,
        seed=args.seed,
        faults=faults,
        batch_size=args.batch_size,
        app_certificate=certificate,
        auto_create_rooms=not args.no_auto_create,
        log_requests=args.log_requests,
    )


def _token_to_use(config: SandboxConfig) -> str:
    if config.app_certificate is None:
        return config.token
    from ..auth.rtm_token import TokenError, build_rtm_token

    try:
        return build_rtm_token(
            config.app_id, config.app_certificate, config.uid, MINTED_TOKEN_LIFETIME
        )
    except TokenError as error:
        raise CommandError(f"cannot mint a token for the sandbox: {error}", EXIT_USAGE) from None


def run_sandbox(args: argparse.Namespace) -> int:
    config = build_config(args)
    token = _token_to_use(config)
    server = SandboxServer(config)
    try:
        server.start()
    except SandboxStartError as error:
        raise CommandError(str(error), EXIT_FAILURE) from None
    try:
        _announce(server, token)
        while server.running:
            time.sleep(0.25)
        return EXIT_FAILURE  # the server thread ended on its own
    except KeyboardInterrupt:
        print("\nsandbox stopped", file=sys.stderr)
        return EXIT_OK
    finally:
        server.stop()


def _announce(server: SandboxServer, token: str) -> None:
    config = server.config
    lines = [
        f"classroom-tui sandbox listening on {server.base_url}",
        f"  App ID {config.app_id}   uid {config.uid}",
        f"  rate {config.rate:g} events/s   seed {config.seed}   "
        f"faults {config.fault_spec.to_spec() or 'none'}",
    ]
    if config.app_certificate is not None:
        lines.append(
            "  RTM tokens signed with the given App Certificate are accepted; the token below "
            "was minted for the uid (valid 24 h)"
        )
    lines += [
        "",
        "Use it with:",
        f"export CLASSROOM_TUI_BASE_URL={shlex.quote(server.base_url)}",
        f"export CLASSROOM_TUI_APP_ID={shlex.quote(config.app_id)}",
        f"export CLASSROOM_TUI_UID={shlex.quote(config.uid)}",
        f"export CLASSROOM_TUI_TOKEN={shlex.quote(token)}",
        "",
        "Press Ctrl-C to stop.",
    ]
    print("\n".join(lines), flush=True)
