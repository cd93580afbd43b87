"""SessionPlan: the config and the command line resolved into what one session will do."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from peak_trade.app.config import AppConfig
from peak_trade.app.config.app_config import dry_run_disagreement
from peak_trade.app.errors import ConfigError, UsageError
from peak_trade.app.replay_files import parse_replay_args, read_replay_files, session_timeframe
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.session.resume import ResumeInfo
from peak_trade.app.venues import VenueRegistry, VenueSpec, builtin_venues
from peak_trade.domain.environment import require_safe_venue, require_testnet
from peak_trade.domain.ids import new_run_id, require_valid_run_id
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import (
    StrategyParamError,
    StrategyRegistry,
    UnknownStrategyError,
    builtin_strategies,
)
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.replay import ReplayFile

BUNDLED_REPLAY = Path("data/btc_eur_1m_synthetic.csv")
OFFLINE_HINT = f"--exchange in_memory --replay {BUNDLED_REPLAY}"


@attrs.frozen(kw_only=True)
class SessionRequest:
    """The session command line as typed (None: not given)."""

    exchange: str | None = None
    strategy: str | None = None
    symbols: tuple[str, ...] = ()
    timeframe: str | None = None
    duration: str | None = None
    max_steps: int | None = None
    replays: tuple[str, ...] = ()  # `[SYMBOL=]PATH` per --replay
    dry_run: bool = False
    run_id: str | None = None
    log_dir: Path | None = None
    no_logging: bool = False


@attrs.frozen(kw_only=True)
class SessionPlan:
    """Everything a session needs to be built, with CLI overrides applied to the config."""

    exchange: str
    venue: VenueSpec | None  # None: an embedding tool passed its own ExchangePort
    session: TestnetSessionConfig
    risk_limits: LiveRiskLimits  # [live_risk] with base_currency resolved
    strategies: StrategyRegistry = attrs.field(eq=False, repr=False)
    strategy_params: Mapping[Symbol, Mapping[str, object]]  # per symbol
    replays: Mapping[Symbol, ReplayFile] | None  # None: a live venue
    run_id: str
    log_dir: Path
    logging_enabled: bool
    dry_run: bool
    max_steps: int | None
    duration_minutes: Decimal | None
    heartbeat_every_steps: int
    resume: ResumeInfo | None = None  # --resume: the life this run goes on with

    @property
    def clock_kind(self) -> str:
        """'simulated' for replays (time jumps), 'system' for live venues."""
        return "simulated" if self.replays is not None else "system"

    @property
    def replay_start_or_epoch(self) -> datetime:
        """Where a replay's clock starts: the first candle's open (the epoch for live runs)."""
        if not self.replays:
            return datetime(1970, 1, 1, tzinfo=UTC)
        return min(file.first_open_time for file in self.replays.values())


def resolve_session_plan(
    request: SessionRequest,
    config: AppConfig,
    strategies: StrategyRegistry | None = None,
    venues: VenueRegistry | None = None,
) -> SessionPlan:
    """Apply the command line to the config; raises UsageError/ConfigError with the fix.

    `strategies` and `venues` are the registries `--strategy` and `--exchange` names come from
    (the built-in ones by default; `venues` must be the registry the config was loaded with).
    """
    session = config.testnet_session
    if not session.enabled:
        raise ConfigError(
            "sessions are disabled; set enabled = true to run one",
            file=str(config.path),
            section="testnet_session",
            key="enabled",
        )
    exchange = request.exchange or session.default_exchange
    registry = venues if venues is not None else builtin_venues()
    if exchange not in registry or exchange not in config.exchanges:
        raise UsageError(f"unknown exchange {exchange!r}; known: {', '.join(registry.names())}")
    spec = registry.get(exchange)
    dry_run_disagreement(config, exchange)
    if not config.exchange(exchange).enabled:
        raise ConfigError(
            f"the {exchange} exchange is disabled; set enabled = true or choose another "
            "with --exchange",
            file=str(config.path),
            section=f"exchange.{exchange}",
            key="enabled",
        )
    requested = _parse_symbols(request.symbols)
    timeframe = _timeframe(request.timeframe)
    replays = _replays(request, spec, requested or session.symbols, timeframe)
    symbols = requested or (tuple(replays) if replays else session.symbols)
    if replays is not None:
        missing = [str(s) for s in symbols if s not in replays]
        if missing:
            raise UsageError(
                f"no --replay file for {', '.join(missing)}: pass --replay SYMBOL=PATH for each "
                "symbol the session trades"
            )
        replays = {s: replays[s] for s in symbols}
        timeframe = session_timeframe(replays, timeframe)
    session = attrs.evolve(
        session,
        symbols=symbols,
        timeframe=timeframe or session.timeframe,
        strategy=request.strategy or session.strategy,
    )
    _check_timeframe(spec, session, config)
    strategy_registry = strategies if strategies is not None else builtin_strategies()
    params = _strategy_params(config, session, strategy_registry)
    return SessionPlan(
        exchange=exchange,
        venue=spec,
        session=session,
        risk_limits=_risk_limits(config, session),
        strategies=strategy_registry,
        strategy_params=params,
        replays=replays,
        run_id=_run_id(request.run_id),
        log_dir=request.log_dir or config.run_logging.base_dir,
        logging_enabled=config.run_logging.enabled and not request.no_logging,
        dry_run=request.dry_run,
        max_steps=_max_steps(request.max_steps),
        duration_minutes=_duration(request.duration),
        heartbeat_every_steps=(
            config.run_logging.replay_heartbeat_every_candles
            if replays is not None
            else config.run_logging.heartbeat_every_steps
        ),
    )


def require_safe_plan(config: AppConfig, plan: SessionPlan) -> None:
    """The early safety checks, before credentials or network: testnet environment only, and a
    production venue may only validate (SafetyRefusal, exit code 3, otherwise)."""
    require_testnet(config.environment_config(), "peak-trade session")
    if plan.venue is not None:
        require_safe_venue(plan.venue.venue(config.exchange(plan.exchange)))


def credential_status(
    config: AppConfig, plan: SessionPlan, environ: Mapping[str, str]
) -> dict[str, bool]:
    """Each credential variable the plan's venue needs -> whether it is set (never its value)."""
    if plan.venue is None:
        return {}
    names = plan.venue.credential_vars(config.exchange(plan.exchange))
    return {name: bool(environ.get(name, "").strip()) for name in names}


def missing_credentials_message(plan: SessionPlan, missing: Sequence[str]) -> str:
    """Which variables to set, where their names come from, and the offline alternative."""
    spec = plan.venue
    needs = f"; the key must be {spec.credentials_help}" if spec and spec.credentials_help else ""
    return (
        f"{plan.exchange} credentials missing: set {' and '.join(missing)} (variable names from "
        f"[exchange.{plan.exchange}]{needs}). To run offline without credentials: "
        f"peak-trade session {OFFLINE_HINT}"
    )


def plan_for_embedding(
    *,
    strategy: str,
    strategy_params: Mapping[str, object],
    strategies: StrategyRegistry | None,
    symbols: Sequence[Symbol],
    timeframe: Timeframe,
    settings: TestnetSessionConfig | None,
    risk_limits: LiveRiskLimits | None,
    max_steps: int | None,
    duration_minutes: Decimal | None,
    replays: Mapping[Symbol, ReplayFile] | None = None,
) -> SessionPlan:
    """The plan of a session another tool builds in code (see bootstrap.build_session)."""
    registry = strategies if strategies is not None else builtin_strategies()
    session = attrs.evolve(
        settings or TestnetSessionConfig(),
        symbols=tuple(symbols),
        timeframe=timeframe,
        strategy=strategy,
    )
    params = registry.resolve_params(strategy, strategy_params)
    return SessionPlan(
        exchange="embedded",
        venue=None,
        session=session,
        risk_limits=_resolved_limits(risk_limits or LiveRiskLimits(), session),
        strategies=registry,
        strategy_params=dict.fromkeys(session.symbols, params),
        replays=replays,
        run_id=_run_id(None),
        log_dir=Path("."),
        logging_enabled=False,
        dry_run=False,
        max_steps=_max_steps(max_steps),
        duration_minutes=duration_minutes,
        heartbeat_every_steps=10,
    )


def _parse(parser: object, text: str, flag: str) -> object:
    assert callable(parser)
    try:
        return parser(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _timeframe(text: str | None) -> Timeframe | None:
    if text is None:
        return None
    try:
        return Timeframe.parse(text)
    except ValueError as exc:
        raise UsageError(f"--timeframe: {exc}") from None


def _parse_symbols(texts: Sequence[str]) -> tuple[Symbol, ...]:
    symbols = tuple(_parse(Symbol.parse, text, "--symbol") for text in texts)
    if len(set(symbols)) != len(symbols):
        raise UsageError("--symbol: a symbol is given twice")
    return symbols  # type: ignore[return-value]


def _replays(
    request: SessionRequest,
    spec: VenueSpec,
    symbols: Sequence[Symbol],
    timeframe: Timeframe | None,
) -> dict[Symbol, ReplayFile] | None:
    if spec.candle_files is None:
        if request.replays:
            raise UsageError(
                "--replay replays candles offline and needs --exchange in_memory; "
                f"--exchange is {spec.name}"
            )
        return None
    if not request.replays:
        raise UsageError(
            "the in_memory exchange replays candle files: add --replay [SYMBOL=]PATH "
            f"(bundled: {BUNDLED_REPLAY}; make more with `peak-trade data synth`)"
        )
    args = parse_replay_args(request.replays)
    return read_replay_files(spec.candle_files(), args, symbols, timeframe)


def _check_timeframe(spec: VenueSpec, session: TestnetSessionConfig, config: AppConfig) -> None:
    """A live venue must serve the session's timeframe (known without a network call)."""
    served = spec.timeframes(config.exchange(spec.name))
    if served and session.timeframe not in served:
        labels = ", ".join(tf.label for tf in served)
        raise UsageError(f"--timeframe {session.timeframe}: {spec.name} serves {labels}")


def _risk_limits(config: AppConfig, session: TestnetSessionConfig) -> LiveRiskLimits:
    try:
        return _resolved_limits(config.live_risk, session)
    except ValueError as exc:
        raise ConfigError(
            str(exc), file=str(config.path), section="live_risk", key="base_currency"
        ) from None


def _resolved_limits(limits: LiveRiskLimits, session: TestnetSessionConfig) -> LiveRiskLimits:
    """[live_risk] with its base currency: the symbols' one quote currency. Limits are never
    converted between currencies, so symbols quoted in different ones are refused."""
    quotes = sorted({symbol.quote for symbol in session.symbols})
    if len(quotes) > 1:
        listed = ", ".join(str(s) for s in session.symbols)
        raise ValueError(
            f"the symbols {listed} are quoted in {' and '.join(quotes)}: one session's "
            "portfolio and risk limits use one currency, and amounts are never converted "
            "between currencies; run one session per quote currency"
        )
    quote = quotes[0]
    if limits.base_currency and limits.base_currency != quote:
        raise ValueError(
            f"base_currency is {limits.base_currency} but the session's symbols are quoted in "
            f"{quote}; notional limits are never converted between currencies: set "
            f'base_currency = "{quote}" (or leave it out to follow the symbols)'
        )
    return attrs.evolve(limits, base_currency=quote)


def _strategy_params(
    config: AppConfig, session: TestnetSessionConfig, registry: StrategyRegistry
) -> dict[Symbol, Mapping[str, object]]:
    """Each symbol's parameters: [strategy.<name>] with its `"<SYMBOL>"` sub-table on top."""
    name = session.strategy
    raw = dict(config.strategies.get(name, {}))
    overrides = {key: raw.pop(key) for key in list(raw) if isinstance(raw[key], Mapping)}
    unknown = [key for key in overrides if _symbol_or_none(key) not in session.symbols]
    if unknown:
        raise ConfigError(
            f"a per-symbol table for a symbol the session does not trade ({', '.join(unknown)}); "
            f"symbols: {', '.join(map(str, session.symbols))}",
            file=str(config.path),
            section=f"strategy.{name}",
            key=unknown[0],
        )
    params: dict[Symbol, Mapping[str, object]] = {}
    try:
        for symbol in session.symbols:
            own = overrides.get(str(symbol), {})
            assert isinstance(own, Mapping)
            params[symbol] = registry.resolve_params(name, {**raw, **own})
    except UnknownStrategyError as exc:
        raise UsageError(str(exc)) from None
    except StrategyParamError as exc:
        raise ConfigError(str(exc), file=str(config.path)) from None
    return params


def _symbol_or_none(text: str) -> Symbol | None:
    try:
        return Symbol.parse(text)
    except ValueError:
        return None


def _run_id(given: str | None) -> str:
    if given is None:
        return new_run_id(datetime.now(UTC), secrets.SystemRandom())
    try:
        return require_valid_run_id(given)
    except ValueError as exc:
        raise UsageError(f"--run-id: {exc}") from None


def _max_steps(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise UsageError(f"--max-steps must be >= 1, got {value}")
    return value


def _duration(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        minutes = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"--duration: {text!r} is not a number of minutes") from None
    if not minutes.is_finite() or minutes <= 0:
        raise UsageError(f"--duration must be a positive number of minutes, got {text}")
    return minutes
