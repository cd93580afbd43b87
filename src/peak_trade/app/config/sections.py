"""The config file's sections as frozen values, each read from its TOML table by one function.

Defaults are the values config/config.toml documents; a missing key means that value. The
monitoring sections ([run_logging], [alerts], [dashboard]) live in config_monitoring.
Use peak_trade.app.config.app_config (which re-exports these) rather than this module directly.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.app.config.reader import ASSET_CODE, NAME, TableReader
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.domain.environment import TradingEnvironment
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol, Timeframe

_ZERO = Decimal(0)
_ONE = Decimal(1)
_MAX_BPS = Decimal(10000)
_MAX_WARMUP = 720  # Kraken's OHLC window and the in-memory exchange's closed-candle window


_MODES = tuple(mode.value for mode in TradingEnvironment)


@attrs.frozen(kw_only=True)
class EnvironmentSettings:
    """[environment]: the trading environment and the optional testnet_dry_run cross-check."""

    mode: TradingEnvironment = TradingEnvironment.TESTNET
    testnet_dry_run: bool | None = None


def read_environment(r: TableReader) -> EnvironmentSettings:
    """[environment] -> EnvironmentSettings."""
    mode = r.choice("mode", TradingEnvironment.TESTNET, TradingEnvironment, _MODES)
    dry_run = r.boolean("testnet_dry_run", True) if r.has("testnet_dry_run") else None
    r.finish()
    return EnvironmentSettings(mode=mode, testnet_dry_run=dry_run)


def read_testnet_session(r: TableReader, venues: tuple[str, ...]) -> TestnetSessionConfig:
    """[testnet_session] -> TestnetSessionConfig; `default_exchange` is one of `venues`."""

    def _exchange_name(text: str) -> str:
        if text not in venues:
            raise ValueError(text)
        return text

    d = TestnetSessionConfig()
    config = TestnetSessionConfig(
        enabled=r.boolean("enabled", d.enabled),
        default_exchange=r.choice("default_exchange", d.default_exchange, _exchange_name, venues),
        symbols=_read_symbols(r, d.symbols),
        timeframe=r.parsed("timeframe", d.timeframe, Timeframe.parse),
        poll_interval_seconds=r.decimal(
            "poll_interval_seconds", d.poll_interval_seconds, above=_ZERO
        ),
        warmup_candles=r.integer(
            "warmup_candles", d.warmup_candles, minimum=0, maximum=_MAX_WARMUP
        ),
        start_balance=r.decimal("start_balance", d.start_balance, above=_ZERO),
        position_fraction=r.decimal(
            "position_fraction", d.position_fraction, above=_ZERO, maximum=_ONE
        ),
        fee_rate=r.decimal("fee_rate", d.fee_rate, minimum=_ZERO, below=_ONE),
        slippage_bps=r.decimal("slippage_bps", d.slippage_bps, minimum=_ZERO, below=_MAX_BPS),
        strategy=r.string(
            "strategy", d.strategy, pattern=NAME, hint="a strategy name such as ma_crossover"
        ),
        allow_short=r.boolean("allow_short", d.allow_short),
        max_consecutive_errors=r.integer(
            "max_consecutive_errors", d.max_consecutive_errors, minimum=1
        ),
        max_consecutive_order_failures=r.integer(
            "max_consecutive_order_failures", d.max_consecutive_order_failures, minimum=1
        ),
        flatten_on_halt=r.boolean("flatten_on_halt", d.flatten_on_halt),
        order_follow_timeout_seconds=r.decimal(
            "order_follow_timeout_seconds", d.order_follow_timeout_seconds, above=_ZERO
        ),
        unknown_order_resolution_seconds=r.decimal(
            "unknown_order_resolution_seconds", d.unknown_order_resolution_seconds, above=_ZERO
        ),
    )
    r.finish()
    return config


def _read_symbols(r: TableReader, default: tuple[Symbol, ...]) -> tuple[Symbol, ...]:
    """`symbols = [...]` or the seed's `symbol = "..."` (not both)."""
    if r.has("symbols"):
        if r.has("symbol"):
            raise r.error("symbol", "give either symbol or symbols, not both")
        raw = r.raw("symbols")
        if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
            raise r.error("symbols", 'expected a non-empty list such as ["BTC/EUR", "ETH/EUR"]')
        try:
            symbols = tuple(Symbol.parse(x) for x in raw)
        except ValueError as exc:
            raise r.error("symbols", str(exc)) from None
        if len(set(symbols)) != len(symbols):
            raise r.error("symbols", "a symbol is listed twice")
        return symbols
    return (r.parsed("symbol", default[0], Symbol.parse),)


def read_live_risk(r: TableReader) -> LiveRiskLimits:
    """[live_risk] -> LiveRiskLimits; a missing key keeps the limit config.toml documents."""
    limits = LiveRiskLimits(
        enabled=r.boolean("enabled", True),
        base_currency=r.string(
            "base_currency",
            "",
            pattern=ASSET_CODE,
            hint="an upper-case asset code such as EUR",
            allow_empty=True,
        ),
        max_order_notional=r.decimal("max_order_notional", Decimal(1500), above=_ZERO),
        max_symbol_exposure_notional=r.decimal(
            "max_symbol_exposure_notional", Decimal(2500), above=_ZERO
        ),
        max_total_exposure_notional=r.decimal(
            "max_total_exposure_notional", Decimal(5000), above=_ZERO
        ),
        max_open_positions=r.integer("max_open_positions", 3, minimum=0),
        max_daily_loss_abs=r.decimal("max_daily_loss_abs", Decimal(500), above=_ZERO),
        max_daily_loss_pct=r.decimal(
            "max_daily_loss_pct", Decimal(5), above=_ZERO, maximum=Decimal(100)
        ),
        max_orders_per_minute=r.integer("max_orders_per_minute", 10, minimum=0),
        max_drawdown_pct=r.optional_decimal("max_drawdown_pct", above=_ZERO, maximum=Decimal(100)),
        size_down=r.boolean("size_down", True),
    )
    r.finish()
    return limits


def default_live_risk() -> LiveRiskLimits:
    """The limits a config without [live_risk] gets (the values config.toml documents)."""
    return read_live_risk(TableReader("", "live_risk", {}))
