"""`peak-trade session`: run a testnet session (a venue from the registry, or an offline replay).

Parse flags, load config, resolve the plan, run the early safety checks, then either print the
dry-run plan or run the session with a status line, signal handling and the summary table.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from peak_trade.app.errors import EXIT_OK, EXIT_USAGE, UsageError

LOG_LEVELS = ("debug", "info", "warning", "error")


class MissingCredentialsError(UsageError):
    """The venue's credential variables are not set (exit code 2)."""


def add_parser(subparsers: Any) -> None:
    """Register `session` and its flags (design.md section 7)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "session",
        help="run a testnet trading session",
        description=(
            "Run a strategy against Kraken in validate-only mode (orders checked by Kraken, "
            "fills simulated in a local paper ledger) or offline against a replayed candle file. "
            "Ctrl+C finishes the current step, writes the summary and exits 0."
        ),
        epilog=(
            "offline demo: peak-trade session --config config/demo.toml --exchange in_memory "
            "--replay data/btc_eur_1m_synthetic.csv"
        ),
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $PEAK_TRADE_CONFIG, else config/config.toml)",
    )
    parser.add_argument(
        "--exchange",
        metavar="NAME",
        help="venue: kraken_testnet, in_memory or another registered one "
        "(default: [testnet_session] default_exchange)",
    )
    parser.add_argument(
        "--strategy", metavar="NAME", help="registered strategy name (default from config)"
    )
    parser.add_argument(
        "--symbol",
        action="append",
        metavar="BASE/QUOTE",
        help="market, e.g. BTC/EUR; repeat for several (default: [testnet_session] symbols)",
    )
    parser.add_argument(
        "--timeframe", metavar="TF", help="candle timeframe, e.g. 1m 5m 15m 1h 4h 1d"
    )
    parser.add_argument(
        "--duration", metavar="MINUTES", help="stop after this many minutes (fractions allowed)"
    )
    parser.add_argument(
        "--max-steps",
        type=int,
        metavar="N",
        help="stop after N steps (a poll live, a candle close in a replay)",
    )
    parser.add_argument(
        "--replay",
        action="append",
        metavar="[SYMBOL=]FILE",
        help="candle file to replay (with --exchange in_memory); repeat for several symbols; "
        "formats: docs/candle-files.md",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check config, wiring and credentials; print the plan; send and write nothing",
    )
    parser.add_argument("--run-id", metavar="ID", help="run id (default: UTC time + random suffix)")
    parser.add_argument(
        "--log-dir",
        type=Path,
        metavar="DIR",
        help="run log directory (default: [run_logging] base_dir)",
    )
    parser.add_argument("--no-logging", action="store_true", help="write no run log")
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="warning",
        help="log level on stderr (default: warning)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Everything `peak-trade session` does; returns the exit code or raises a mapped error."""
    from peak_trade.app.cli.progress import StatusAwareHandler, StatusLine
    from peak_trade.app.config import load_config_from
    from peak_trade.app.plan import (
        SessionRequest,
        credential_status,
        missing_credentials_message,
        require_safe_plan,
        resolve_session_plan,
    )

    status = StatusLine(sys.stdout)
    handler = StatusAwareHandler(sys.stderr, status)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level.upper(), handlers=[handler])
    environ = os.environ
    config = load_config_from(args.config, environ, args.venues)
    request = SessionRequest(
        exchange=args.exchange,
        strategy=args.strategy,
        symbols=tuple(args.symbol or ()),
        timeframe=args.timeframe,
        duration=args.duration,
        max_steps=args.max_steps,
        replays=tuple(args.replay or ()),
        dry_run=args.dry_run,
        run_id=args.run_id,
        log_dir=args.log_dir,
        no_logging=args.no_logging,
    )
    plan = resolve_session_plan(request, config, venues=args.venues)
    require_safe_plan(config, plan)  # before any credential check or network call
    credentials = credential_status(config, plan, environ)
    missing = [name for name, is_set in credentials.items() if not is_set]
    if plan.dry_run:
        return _dry_run(config, plan, environ, credentials, missing)
    if missing:
        raise MissingCredentialsError(missing_credentials_message(plan, missing))
    if plan.logging_enabled and (plan.log_dir / plan.run_id).exists():
        raise UsageError(
            f"--run-id: run {plan.run_id} exists in {plan.log_dir}; run ids are never reused"
        )
    return _run(config, plan, environ, status)


def _dry_run(
    config: Any, plan: Any, environ: Any, credentials: dict[str, bool], missing: list[str]
) -> int:
    """Build the wiring (guards included) without network or files and print the plan."""
    from peak_trade.app.bootstrap import check_wiring
    from peak_trade.app.cli.plan_report import render_plan
    from peak_trade.app.plan import missing_credentials_message

    venue, strategies = check_wiring(config, plan, environ)
    print(render_plan(config, plan, venue, strategies, credentials))
    if missing:
        message = missing_credentials_message(plan, missing)
        print(f"peak-trade: {message}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _run(config: Any, plan: Any, environ: Any, status: Any) -> int:
    """Run the session with signal handling, a status line and the summary table."""
    from peak_trade.app.bootstrap import build_testnet_session, run_dir_of
    from peak_trade.app.cli.progress import render_summary
    from peak_trade.app.cli.signals import stop_on_signals
    from peak_trade.app.session.stop import StopRequest
    from peak_trade.ports.errors import UnknownSymbolError

    stop = StopRequest()
    session = build_testnet_session(config, plan, environ=environ, stop=stop, on_step=status.update)
    run_dir = run_dir_of(plan)
    venue = session.venue
    mode = "validate-only, fills simulated" if venue.validate_only else "sandbox fills"
    print(
        f"peak-trade session {plan.run_id}: {plan.exchange} {plan.session.symbol} "
        f"{plan.session.timeframe} strategy {plan.session.strategy} ({mode}); "
        f"run log: {run_dir or 'off'}",
        flush=True,
    )
    try:
        with stop_on_signals(stop):
            summary = session.run()
    except UnknownSymbolError as exc:
        hint = f"; close matches: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise UsageError(f"--symbol: {exc}{hint}") from None
    finally:
        status.finish()
        session.close()
    print(render_summary(summary, run_dir=str(run_dir) if run_dir else None), flush=True)
    return EXIT_OK
