"""SessionPlan: the config and the command line resolved into what one session will do."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from peak_trade.app.config import AppConfig
from peak_trade.app.errors import ConfigError, UsageError
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.venues import VenueRegistry, VenueSpec, builtin_venues
from peak_trade.domain.environment import require_safe_venue, require_testnet
from peak_trade.domain.ids import new_run_id, require_valid_run_id
from peak_trade.domain.strategies import (
    StrategyParamError,
    StrategyRegistry,
    UnknownStrategyError,
    builtin_strategies,
)
from peak_trade.domain.symbols import Symbol, Timeframe

BUNDLED_REPLAY = Path("data/btc_eur_1m_synthetic.csv")
OFFLINE_HINT = f"--exchange in_memory --replay {BUNDLED_REPLAY}"


@attrs.frozen(kw_only=True)
class SessionRequest:
    """The session command line as typed (None: not given)."""

    exchange: str | None = None
    strategy: str | None = None
    symbol: str | None = None
    timeframe: str | None = None
    duration: str | None = None
    max_steps: int | None = None
    replay: Path | None = None
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
    strategies: StrategyRegistry = attrs.field(eq=False, repr=False)
    strategy_params: Mapping[str, object]
    replay_path: Path | None
    replay_start: datetime | None
    run_id: str
    log_dir: Path
    logging_enabled: bool
    dry_run: bool
    max_steps: int | None
    duration_minutes: Decimal | None
    heartbeat_every_steps: int

    @property
    def clock_kind(self) -> str:
        """'simulated' for replays (time jumps), 'system' for live venues."""
        return "simulated" if self.replay_path is not None else "system"

    @property
    def replay_start_or_epoch(self) -> datetime:
        return self.replay_start or datetime(1970, 1, 1, tzinfo=UTC)


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
    if not config.exchange(exchange).enabled:
        raise ConfigError(
            f"the {exchange} exchange is disabled; set enabled = true or choose another "
            "with --exchange",
            file=str(config.path),
            section=f"exchange.{exchange}",
            key="enabled",
        )
    changes: dict[str, object] = {}
    if request.symbol:
        changes["symbol"] = _parse(Symbol.parse, request.symbol, "--symbol")
    if request.timeframe:
        changes["timeframe"] = _parse(Timeframe.parse, request.timeframe, "--timeframe")
    if request.strategy:
        changes["strategy"] = request.strategy
    session = attrs.evolve(session, **changes)  # type: ignore[arg-type]
    strategy_registry = strategies if strategies is not None else builtin_strategies()
    params = _strategy_params(config, session.strategy, strategy_registry)
    replay_path, replay_start = _replay(request, spec, session)
    return SessionPlan(
        exchange=exchange,
        venue=spec,
        session=session,
        strategies=strategy_registry,
        strategy_params=params,
        replay_path=replay_path,
        replay_start=replay_start,
        run_id=_run_id(request.run_id),
        log_dir=request.log_dir or config.run_logging.base_dir,
        logging_enabled=config.run_logging.enabled and not request.no_logging,
        dry_run=request.dry_run,
        max_steps=_max_steps(request.max_steps),
        duration_minutes=_duration(request.duration),
        heartbeat_every_steps=config.run_logging.heartbeat_every_steps,
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
    max_steps: int | None,
    duration_minutes: Decimal | None,
) -> SessionPlan:
    """The plan of a session another tool builds in code (see bootstrap.build_session)."""
    registry = strategies if strategies is not None else builtin_strategies()
    if len(symbols) != 1:
        raise ValueError(f"a session trades one symbol, got {len(symbols)}")
    session = attrs.evolve(
        settings or TestnetSessionConfig(),
        symbol=symbols[0],
        timeframe=timeframe,
        strategy=strategy,
    )
    return SessionPlan(
        exchange="embedded",
        venue=None,
        session=session,
        strategies=registry,
        strategy_params=registry.resolve_params(strategy, strategy_params),
        replay_path=None,
        replay_start=None,
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


def _strategy_params(
    config: AppConfig, name: str, registry: StrategyRegistry
) -> Mapping[str, object]:
    raw = config.strategies.get(name, {})
    try:
        return registry.resolve_params(name, raw)
    except UnknownStrategyError as exc:
        raise UsageError(str(exc)) from None
    except StrategyParamError as exc:
        raise ConfigError(str(exc), file=str(config.path)) from None


def _replay(
    request: SessionRequest, spec: VenueSpec, session: TestnetSessionConfig
) -> tuple[Path | None, datetime | None]:
    if not spec.replays_files:
        if request.replay is not None:
            raise UsageError(
                "--replay replays candles offline and needs --exchange in_memory; "
                f"--exchange is {spec.name}"
            )
        return None, None
    if request.replay is None:
        raise UsageError(
            "the in_memory exchange replays a candle file: add --replay CSV "
            f"(bundled: {BUNDLED_REPLAY}; make more with `peak-trade data synth`)"
        )
    assert spec.replay_start is not None  # a venue that replays files can read them
    path = request.replay
    if not path.is_file():
        raise UsageError(f"--replay: no such file {path}")
    return path, spec.replay_start(path, session)


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
