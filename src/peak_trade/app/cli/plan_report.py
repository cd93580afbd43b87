"""The resolved plan `peak-trade session --dry-run` prints (no secrets, only variable names)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from peak_trade.app.config import AppConfig
from peak_trade.app.plan import SessionPlan
from peak_trade.app.replay_files import describe
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.environment import Venue


def render_plan(
    config: AppConfig,
    plan: SessionPlan,
    venue: Venue,
    strategies: Sequence[tuple[str, Mapping[str, object]]],
    credentials: dict[str, bool],
) -> str:
    """A readable table of what the session would do."""
    s = plan.session
    kind = "PRODUCTION venue" if venue.production else "sandbox venue"
    orders = (
        "validate only: the venue checks orders, nothing executes; fills are simulated locally"
        if venue.validate_only
        else "orders execute on the sandbox venue"
    )
    limits = attrs.asdict(plan.risk_limits)
    enabled = limits.pop("enabled")
    limit_text = ", ".join(f"{k}={_text(v)}" for k, v in limits.items() if v is not None)
    run_log = f"would write {plan.log_dir / plan.run_id}/" if plan.logging_enabled else "disabled"
    rows = [
        ("config", f"{config.path} (sha256 {config.sha256[:12]})"),
        ("environment", config.environment.mode.value),
        ("exchange", plan.exchange),
        ("venue", f"{venue.name} at {venue.host or '-'} ({kind})"),
        ("validate_only", f"{str(venue.validate_only).lower()} ({orders})"),
        ("symbols", f"{', '.join(map(str, s.symbols))}  timeframe {s.timeframe}"),
        *_strategy_rows(s.strategy, strategies, s.allow_short),
        (
            "sizing",
            f"start balance {format_decimal(s.start_balance)} {s.symbol.quote}, position "
            f"fraction {format_decimal(s.position_fraction)} per symbol, fee rate "
            f"{format_decimal(s.fee_rate)}, slippage {format_decimal(s.slippage_bps)} bps",
        ),
        (
            "polling",
            f"every {format_decimal(s.poll_interval_seconds)} s on the {plan.clock_kind} clock, "
            f"warmup {s.warmup_candles} candles",
        ),
        (
            "bounds",
            f"duration {_text(plan.duration_minutes)} min, max steps {_text(plan.max_steps)}, "
            f"halt after {s.max_consecutive_errors} consecutive exchange errors",
        ),
        ("risk limits", f"{'on' if enabled else 'OFF'}: {limit_text or 'none set'}"),
        *_replay_rows(plan),
        ("run log", run_log),
        ("credentials", _credentials(credentials)),
    ]
    width = max(len(label) for label, _ in rows)
    title = "peak-trade session --dry-run: plan only; no network call was made, nothing written"
    return "\n".join([title, *(f"  {label.ljust(width)}  {value}" for label, value in rows)])


def _strategy_rows(
    name: str, strategies: Sequence[tuple[str, Mapping[str, object]]], allow_short: bool
) -> list[tuple[str, str]]:
    distinct = {tuple(sorted(params.items())) for _, params in strategies}
    short = f"allow_short={str(allow_short).lower()}"
    if len(distinct) == 1:
        return [("strategy", f"{name} ({_params(strategies[0][1])}); {short}")]
    rows = [("strategy", f"{name}; {short}")]
    rows += [(f"  {symbol}", _params(params)) for symbol, params in strategies]
    return rows


def _params(params: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={_text(v)}" for k, v in params.items()) or "none"


def _replay_rows(plan: SessionPlan) -> list[tuple[str, str]]:
    if not plan.replays:
        return [("replay", "-")]
    timeframe = plan.session.timeframe
    return [
        (f"replay {symbol}", describe(file, timeframe)) for symbol, file in plan.replays.items()
    ]


def _credentials(status: dict[str, bool]) -> str:
    if not status:
        return "not needed"
    return ", ".join(f"{name} {'set' if ok else 'NOT SET'}" for name, ok in status.items())


def _text(value: object) -> str:
    if value is None:
        return "-"
    if hasattr(value, "is_finite"):
        return format_decimal(value)  # type: ignore[arg-type]
    return str(value)
