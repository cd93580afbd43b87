"""`peak-trade session`: run a testnet session (a venue from the registry, or an offline replay).

Parse flags, load config, resolve the plan, run the early safety checks, then either print the
dry-run plan or run the session with a status line, signal handling and the summary table.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

from peak_trade.app.errors import EXIT_OK, EXIT_USAGE, UsageError

LOG_LEVELS = ("debug", "info", "warning", "error")
_CAUSE_TEXT = {
    "crash": "a crash (no session_ended)",
    "signal": "a stop signal",
    "halted": "a halt",
    "failure": "a failure",
}


class MissingCredentialsError(UsageError):
    """The venue's credential variables are not set (exit code 2)."""


def log_dir_problem(directory: Path) -> str | None:
    """Why the run log cannot be written under `directory` (a file, not writable), or None.

    Checks the directory or, if it does not exist yet, the nearest existing parent it would be
    created in; the probe is an unnamed temporary file (nothing is left behind).
    """
    where = f"run log directory {directory} (--log-dir or [run_logging] base_dir)"
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{where}: {existing} is a file, not a directory"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"{where}: not writable ({exc.strerror or exc})"
    return None


def add_parser(subparsers: Any) -> None:
    """Register `session` and its flags (design.md section 7)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "session",
        help="run a testnet trading session",
        description=(
            "Run a strategy on one or several symbols in testnet mode: against Kraken "
            "validate-only (orders checked by Kraken, fills simulated in a local paper ledger), "
            "against the Binance Spot Testnet (orders executed with virtual funds), or offline "
            "against replayed candle files. Ctrl+C finishes the current step, writes the summary "
            "and exits 0; --resume continues a stopped run."
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
        help="venue: kraken_testnet, binance_testnet, in_memory or another registered one "
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
        "--resume",
        metavar="RUN_ID",
        help="continue a run that crashed, was interrupted or halted, in its own run log "
        "directory, with the plan it started with (a replay is re-simulated up to where it "
        "stopped, a live run rebuilt from its events); needs the same config file",
    )
    parser.add_argument(
        "--log-dir",
        type=Path,
        metavar="DIR",
        help="run log directory (default: [run_logging] base_dir)",
    )
    parser.add_argument("--no-logging", action="store_true", help="write no run log")
    parser.add_argument(
        "--metrics-port",
        type=_metrics_port,
        metavar="PORT",
        help="serve Prometheus metrics of this run on http://127.0.0.1:PORT/metrics while it "
        "runs, read from its run log (0 picks a free port and prints it)",
    )
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
    resume = None
    if args.resume:
        from peak_trade.app.bootstrap.tools import open_run_archive
        from peak_trade.app.resume import recorded_request

        archive = open_run_archive(args.log_dir or config.run_logging.base_dir)
        request, resume = recorded_request(archive, args.resume, request, config)
    plan = resolve_session_plan(request, config, venues=args.venues)
    if resume is not None:
        plan = attrs.evolve(plan, resume=resume)
    require_safe_plan(config, plan)  # before any credential check or network call
    credentials = credential_status(config, plan, environ)
    missing = [name for name, is_set in credentials.items() if not is_set]
    log_problem = log_dir_problem(plan.log_dir) if plan.logging_enabled else None
    if plan.dry_run:
        return _dry_run(config, plan, environ, credentials, missing, log_problem)
    if missing:
        raise MissingCredentialsError(missing_credentials_message(plan, missing))
    if log_problem is not None:
        raise UsageError(log_problem)
    if resume is None and plan.logging_enabled and (plan.log_dir / plan.run_id).exists():
        raise UsageError(
            f"--run-id: run {plan.run_id} exists in {plan.log_dir}; run ids are never reused"
        )
    metrics = None
    if args.metrics_port is not None:  # prometheus_client is imported only for the flag
        from peak_trade.app.cli.dashboard.session_metrics import open_session_metrics

        metrics = open_session_metrics(args.metrics_port, plan)  # a busy port: refused here
    return _run(config, plan, environ, status, metrics)


def _metrics_port(text: str) -> int:
    from peak_trade.app.cli.dashboard.session_metrics import metrics_port

    return metrics_port(text)


def _dry_run(
    config: Any,
    plan: Any,
    environ: Any,
    credentials: dict[str, bool],
    missing: list[str],
    log_problem: str | None = None,
) -> int:
    """Build the wiring (guards included) without network or files and print the plan; exit 2
    when the credentials are missing or the run log directory cannot be written."""
    from peak_trade.app.bootstrap import check_wiring
    from peak_trade.app.cli.plan_report import render_plan
    from peak_trade.app.plan import missing_credentials_message

    venue, strategies = check_wiring(config, plan, environ)
    print(render_plan(config, plan, venue, strategies, credentials))
    problems = [missing_credentials_message(plan, missing)] if missing else []
    problems += [log_problem] if log_problem else []
    for message in problems:
        print(f"peak-trade: {message}", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK


def _run(config: Any, plan: Any, environ: Any, status: Any, metrics: Any = None) -> int:
    """Run the session with signal handling, a status line and the summary table (and its
    Prometheus metrics while it runs, with --metrics-port)."""
    from peak_trade.app.bootstrap import build_testnet_session, run_dir_of
    from peak_trade.app.cli.progress import render_summary
    from peak_trade.app.cli.signals import stop_on_signals
    from peak_trade.app.session.stop import StopRequest
    from peak_trade.ports.errors import UnknownSymbolError
    from peak_trade.ports.events import ResumeMismatchError, RunLogBusyError

    stop = StopRequest()
    try:
        session = build_testnet_session(
            config, plan, environ=environ, stop=stop, on_step=status.update
        )
    except FileExistsError as exc:  # the run directory appeared since the check (a race)
        raise UsageError(f"--run-id: {exc}") from None
    except RunLogBusyError as exc:  # --resume of a run another process is still writing
        raise UsageError(f"--resume {plan.run_id}: {exc}") from None
    except OSError as exc:  # the run log directory turned unusable since the check
        if exc.filename is None or not Path(exc.filename).is_relative_to(plan.log_dir):
            raise
        raise UsageError(f"run log directory {plan.log_dir}: {exc.strerror or exc}") from None
    run_dir = run_dir_of(plan)
    venue = session.venue
    mode = "validate-only, fills simulated" if venue.validate_only else "sandbox fills"
    symbols = ", ".join(str(s) for s in plan.session.symbols)
    print(
        f"peak-trade session {plan.run_id}: {plan.exchange} {symbols} "
        f"{plan.session.timeframe} strategy {plan.session.strategy} ({mode}); "
        f"run log: {run_dir or 'off'}",
        flush=True,
    )
    resume = plan.resume
    if resume is not None:
        how = "re-simulated up to where it stopped" if resume.replay else "rebuilt from its events"
        cause = _CAUSE_TEXT.get(resume.cause, resume.cause)
        print(
            f"resuming as life {resume.life} after {cause} (run log seq {resume.last_seq}); {how}",
            flush=True,
        )
    if metrics is not None:
        print(f"metrics: {metrics.url} (Prometheus; while the session runs)", flush=True)
    try:
        with stop_on_signals(stop), metrics or contextlib.nullcontext():
            summary = session.run()
    except ResumeMismatchError as exc:
        raise UsageError(f"--resume {plan.run_id}: {exc}") from None
    except UnknownSymbolError as exc:
        hint = f"; close matches: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise UsageError(f"--symbol: {exc}{hint}") from None
    finally:
        status.finish()
        session.close()
    print(render_summary(summary, run_dir=str(run_dir) if run_dir else None), flush=True)
    return EXIT_OK
