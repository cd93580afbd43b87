"""SessionPlan: the config and the command line resolved into what one session will do."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from peak_trade.app.config import AppConfig, TestnetSessionConfig
from peak_trade.app.config_sections import EXCHANGES
from peak_trade.app.errors import ConfigError, UsageError
from peak_trade.domain.ids import new_run_id, require_valid_run_id
from peak_trade.domain.strategies import StrategyParamError, UnknownStrategyError
from peak_trade.domain.strategies.registry import resolve_params
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
    session: TestnetSessionConfig
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


def resolve_session_plan(request: SessionRequest, config: AppConfig) -> SessionPlan:
    """Apply the command line to the config; raises UsageError/ConfigError with the fix."""
    session = config.testnet_session
    if not session.enabled:
        raise ConfigError(
            "sessions are disabled; set enabled = true to run one",
            file=str(config.path),
            section="testnet_session",
            key="enabled",
        )
    exchange = request.exchange or session.default_exchange
    if exchange not in EXCHANGES:
        raise UsageError(f"unknown exchange {exchange!r}; known: {', '.join(EXCHANGES)}")
    exchange_enabled = (
        config.kraken_testnet.enabled if exchange == "kraken_testnet" else config.in_memory.enabled
    )
    if not exchange_enabled:
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
    params = _strategy_params(config, session.strategy)
    replay_path, replay_start = _replay(request, exchange, session)
    return SessionPlan(
        exchange=exchange,
        session=session,
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


def _parse(parser: object, text: str, flag: str) -> object:
    assert callable(parser)
    try:
        return parser(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _strategy_params(config: AppConfig, name: str) -> Mapping[str, object]:
    raw = config.strategies.get(name, {})
    try:
        return resolve_params(name, raw)
    except UnknownStrategyError as exc:
        raise UsageError(str(exc)) from None
    except StrategyParamError as exc:
        raise ConfigError(str(exc), file=str(config.path)) from None


def _replay(
    request: SessionRequest, exchange: str, session: TestnetSessionConfig
) -> tuple[Path | None, datetime | None]:
    if exchange != "in_memory":
        if request.replay is not None:
            raise UsageError(
                "--replay replays candles offline and needs --exchange in_memory; "
                f"--exchange is {exchange}"
            )
        return None, None
    if request.replay is None:
        raise UsageError(
            "the in_memory exchange replays a candle file: add --replay CSV "
            f"(bundled: {BUNDLED_REPLAY}; make more with `peak-trade data synth`)"
        )
    from peak_trade.adapters.in_memory.replay import iter_candles_csv, read_csv_header

    path = request.replay
    if not path.is_file():
        raise UsageError(f"--replay: no such file {path}")
    try:
        header = read_csv_header(path)
        first = next(iter_candles_csv(path, session.symbol), None)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--replay: {exc}") from None
    declared = header.get("symbol")
    if declared and Symbol.parse(declared) != session.symbol:
        raise UsageError(
            f"--replay {path} holds {declared} candles but the session trades {session.symbol}; "
            f"pass --symbol {declared}"
        )
    file_tf = header.get("timeframe")
    if file_tf:
        minutes = Timeframe.parse(file_tf).minutes
        if session.timeframe.minutes % minutes:
            raise UsageError(
                f"--replay {path} has {file_tf} candles; the session timeframe "
                f"{session.timeframe} is not a multiple of it"
            )
    if first is None:
        raise UsageError(f"--replay {path} holds no candles")
    warm = timedelta(seconds=session.timeframe.seconds * session.warmup_candles)
    return path, first.open_time + warm


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
