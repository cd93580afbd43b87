"""The `peak-trade session` command: config -> plan -> guards -> dry run or a session run."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping

from dependency_injector import providers

from peak_trade.adapters.kraken.venue import kraken_venue
from peak_trade.adapters.runlog.writer import NullEventLog
from peak_trade.app.config import AppConfig, load_config_from
from peak_trade.app.container import SessionContainer
from peak_trade.app.errors import EXIT_OK, EXIT_USAGE, UsageError
from peak_trade.app.plan_report import render_plan
from peak_trade.app.progress import StatusAwareHandler, StatusLine, render_summary
from peak_trade.app.session_plan import (
    OFFLINE_HINT,
    SessionPlan,
    SessionRequest,
    resolve_session_plan,
)
from peak_trade.app.stop import StopRequest, stop_on_signals
from peak_trade.domain.environment import require_safe_venue, require_testnet
from peak_trade.ports.errors import UnknownSymbolError


class MissingCredentialsError(UsageError):
    """The Kraken credential variables are not set (exit code 2)."""


def run_session_command(args: argparse.Namespace) -> int:
    """Everything `peak-trade session` does; returns the exit code or raises a mapped error."""
    status = StatusLine(sys.stdout)
    handler = StatusAwareHandler(sys.stderr, status)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level.upper(), handlers=[handler])
    environ = os.environ
    config = load_config_from(args.config, environ)
    request = SessionRequest(
        exchange=args.exchange,
        strategy=args.strategy,
        symbol=args.symbol,
        timeframe=args.timeframe,
        duration=args.duration,
        max_steps=args.max_steps,
        replay=args.replay,
        dry_run=args.dry_run,
        run_id=args.run_id,
        log_dir=args.log_dir,
        no_logging=args.no_logging,
    )
    plan = resolve_session_plan(request, config)
    require_testnet(config.environment_config(), "peak-trade session")
    if plan.exchange == "kraken_testnet":
        require_safe_venue(kraken_venue(config.kraken_testnet))  # before any credential check
    credentials = credential_status(config, plan, environ)
    if plan.dry_run:
        return dry_run(config, plan, environ, credentials)
    missing = [name for name, is_set in credentials.items() if not is_set]
    if missing:
        raise MissingCredentialsError(missing_credentials_message(missing))
    if plan.logging_enabled and (plan.log_dir / plan.run_id).exists():
        raise UsageError(
            f"--run-id: run {plan.run_id} exists in {plan.log_dir}; run ids are never reused"
        )
    return run_session(config, plan, environ, status)


def credential_status(
    config: AppConfig, plan: SessionPlan, environ: Mapping[str, str]
) -> dict[str, bool]:
    """Each credential variable the plan needs -> whether it is set (values never read out)."""
    if plan.exchange != "kraken_testnet":
        return {}
    names = (config.kraken_testnet.api_key_env_var, config.kraken_testnet.api_secret_env_var)
    return {name: bool(environ.get(name, "").strip()) for name in names}


def missing_credentials_message(missing: list[str]) -> str:
    """Which variables to set, where their names come from, and the offline alternative."""
    return (
        f"Kraken credentials missing: set {' and '.join(missing)} (variable names from "
        "[exchange.kraken_testnet] api_key_env_var / api_secret_env_var; the key needs the "
        "'Create & Modify Orders' permission). To run offline without credentials: "
        f"peak-trade session {OFFLINE_HINT}"
    )


def dry_run(
    config: AppConfig, plan: SessionPlan, environ: Mapping[str, str], credentials: dict[str, bool]
) -> int:
    """Build the wiring (guards included) without network or files and print the plan."""
    container = SessionContainer(config=config, plan=plan, environ=environ)
    container.event_log.override(providers.Object(NullEventLog(plan.run_id)))
    exchange = container.exchange()
    try:
        container.executor()  # environment and venue guards run here
        strategy = container.strategy()
        print(render_plan(config, plan, exchange.venue, strategy, credentials))
    finally:
        _close(exchange)
    missing = [name for name, is_set in credentials.items() if not is_set]
    if missing:
        print(f"peak-trade: {missing_credentials_message(missing)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def run_session(
    config: AppConfig, plan: SessionPlan, environ: Mapping[str, str], status: StatusLine
) -> int:
    """Run the session with signal handling, a status line and the summary table."""
    stop = StopRequest()
    container = SessionContainer(config=config, plan=plan, environ=environ)
    container.stop.override(providers.Object(stop))
    container.on_step.override(providers.Object(status.update))
    session = container.session()
    exchange = container.exchange()
    run_dir = getattr(container.event_log(), "run_dir", None)
    venue = exchange.venue
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
        _close(exchange)
    print(render_summary(summary, run_dir=str(run_dir) if run_dir else None), flush=True)
    return EXIT_OK


def _close(exchange: object) -> None:
    close = getattr(exchange, "close", None)
    if callable(close):
        close()
