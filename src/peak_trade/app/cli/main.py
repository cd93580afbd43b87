"""The `peak-trade` command line: parse, dispatch to one command, map errors to exit codes.

Each sub-command lives in peak_trade.app.cli.<name> and provides `add_parser(subparsers)`
(which sets `handler` to its `run(args) -> int`). Command modules import their heavy
dependencies inside `run`, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from peak_trade import __version__
from peak_trade.app.errors import EXIT_FAILURE, EXIT_SAFETY, EXIT_USAGE, ConfigError, UsageError
from peak_trade.domain.environment import SafetyRefusal

if TYPE_CHECKING:
    from peak_trade.app.venues import VenueRegistry

COMMANDS = ("session", "monitor", "dashboard", "data", "report")


def build_parser(venues: VenueRegistry | None = None) -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per command; `venues` are the exchanges
    `session --exchange` accepts (the built-in venues by default)."""
    import importlib

    from peak_trade.app.venues import builtin_venues

    parser = argparse.ArgumentParser(
        prog="peak-trade",
        description="Peak_Trade testnet sessions, monitoring and data tools.",
    )
    parser.add_argument("--version", action="version", version=f"peak-trade {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"peak_trade.app.cli.{name}")
        module.add_parser(subparsers)
    parser.set_defaults(venues=venues if venues is not None else builtin_venues())
    return parser


def main(argv: Sequence[str] | None = None, *, venues: VenueRegistry | None = None) -> int:
    """Entry point of the console script; returns the process exit code.

    `venues` lets a tool that embeds the CLI offer its own venues beside the built-in ones.
    """
    parser = build_parser(venues)
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except SafetyRefusal as exc:
        print(f"peak-trade: refused for safety: {exc}", file=sys.stderr)
        return EXIT_SAFETY
    except (ConfigError, UsageError) as exc:
        print(f"peak-trade: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the one place that turns any failure into an exit code
        logging.getLogger("peak_trade").debug("command failed", exc_info=True)
        print(f"peak-trade: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    return code
