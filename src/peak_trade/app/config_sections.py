"""The config file's sections as frozen values, each read from its TOML table by one function.

Defaults are the values config/config.toml documents; a missing key means that value. The
monitoring sections ([run_logging], [alerts], [dashboard]) live in config_monitoring.
Use peak_trade.app.config (which re-exports these) rather than this module directly.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import attrs

from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.kraken.config import KrakenTestnetConfig, KrakenTier
from peak_trade.app.config_reader import ENV_VAR_NAME, TableReader
from peak_trade.domain.environment import TradingEnvironment
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol, Timeframe

EXCHANGES = ("kraken_testnet", "in_memory")
ASSET_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,15}$")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV_HINT = "an environment variable name such as KRAKEN_TESTNET_API_KEY"
_ZERO = Decimal(0)
_ONE = Decimal(1)
_MAX_BPS = Decimal(10000)
_MAX_WARMUP = 720  # Kraken's OHLC window and the in-memory exchange's closed-candle window


_MODES = tuple(mode.value for mode in TradingEnvironment)
_TIERS = tuple(tier.value for tier in KrakenTier)


@attrs.frozen(kw_only=True)
class EnvironmentSettings:
    """[environment]: the trading environment and the optional testnet_dry_run cross-check."""

    mode: TradingEnvironment = TradingEnvironment.TESTNET
    testnet_dry_run: bool | None = None


@attrs.frozen(kw_only=True)
class TestnetSessionConfig:
    """[testnet_session]: what a session trades, how it sizes and how it polls."""

    __test__ = False  # not a pytest test class

    enabled: bool = True
    default_exchange: str = "kraken_testnet"
    symbol: Symbol = attrs.field(factory=lambda: Symbol(base="BTC", quote="EUR"))
    timeframe: Timeframe = Timeframe.M1
    poll_interval_seconds: Decimal = Decimal(60)
    warmup_candles: int = 200
    start_balance: Decimal = Decimal(10000)
    position_fraction: Decimal = Decimal("0.1")
    fee_rate: Decimal = Decimal("0.0026")
    slippage_bps: Decimal = Decimal(5)
    strategy: str = "ma_crossover"
    allow_short: bool = False
    max_consecutive_errors: int = 5
    order_follow_timeout_seconds: Decimal = Decimal(60)


def read_environment(r: TableReader) -> EnvironmentSettings:
    """[environment] -> EnvironmentSettings."""
    mode = r.choice("mode", TradingEnvironment.TESTNET, TradingEnvironment, _MODES)
    dry_run = r.boolean("testnet_dry_run", True) if r.has("testnet_dry_run") else None
    r.finish()
    return EnvironmentSettings(mode=mode, testnet_dry_run=dry_run)


def read_kraken(r: TableReader) -> KrakenTestnetConfig:
    """[exchange.kraken_testnet] -> KrakenTestnetConfig (env var names only, never values)."""
    d = KrakenTestnetConfig()
    base_url = r.string("base_url", d.base_url)
    if not base_url.startswith(("https://", "http://")):
        raise r.error("base_url", "must start with https:// (or http:// for a loopback server)")
    config = KrakenTestnetConfig(
        enabled=r.boolean("enabled", d.enabled),
        base_url=base_url.rstrip("/"),
        api_key_env_var=r.string(
            "api_key_env_var", d.api_key_env_var, pattern=ENV_VAR_NAME, hint=_ENV_HINT
        ),
        api_secret_env_var=r.string(
            "api_secret_env_var", d.api_secret_env_var, pattern=ENV_VAR_NAME, hint=_ENV_HINT
        ),
        validate_only=r.boolean("validate_only", d.validate_only),
        timeout_seconds=float(
            r.decimal("timeout_seconds", Decimal(str(d.timeout_seconds)), above=_ZERO)
        ),
        max_retries=r.integer("max_retries", d.max_retries, minimum=0, maximum=10),
        rate_limit_ms=r.integer("rate_limit_ms", d.rate_limit_ms, minimum=0),
        tier=r.choice("tier", d.tier, KrakenTier, _TIERS),
        state_dir=Path(r.string("state_dir", str(d.state_dir))),
    )
    r.finish()
    return config


def read_in_memory(r: TableReader) -> InMemoryExchangeConfig:
    """[exchange.in_memory] -> InMemoryExchangeConfig."""
    d = InMemoryExchangeConfig()
    raw_balances = r.table("balances")
    balances = dict(d.balances)
    if raw_balances:
        reader = TableReader(r.file, f"{r.section}.balances", raw_balances)
        for asset in raw_balances:
            if not ASSET_CODE.match(asset):
                raise reader.error(asset, "not an upper-case asset code such as EUR or BTC")
        balances = {asset: reader.decimal(asset, _ZERO, minimum=_ZERO) for asset in raw_balances}
        reader.finish()
    config = InMemoryExchangeConfig(
        enabled=r.boolean("enabled", d.enabled),
        validate_only=r.boolean("validate_only", d.validate_only),
        fee_rate=r.decimal("fee_rate", d.fee_rate, minimum=_ZERO, below=_ONE),
        slippage_bps=r.decimal("slippage_bps", d.slippage_bps, minimum=_ZERO, below=_MAX_BPS),
        partial_fill_fraction=r.decimal(
            "partial_fill_fraction", d.partial_fill_fraction, above=_ZERO, maximum=_ONE
        ),
        price_tick=r.decimal("price_tick", d.price_tick, above=_ZERO),
        lot_step=r.decimal("lot_step", d.lot_step, above=_ZERO),
        min_quantity=r.decimal("min_quantity", d.min_quantity, minimum=_ZERO),
        min_cost=r.decimal("min_cost", d.min_cost, minimum=_ZERO),
        balances=MappingProxyType(balances),
    )
    r.finish()
    return config


def read_testnet_session(r: TableReader) -> TestnetSessionConfig:
    """[testnet_session] -> TestnetSessionConfig."""
    d = TestnetSessionConfig()
    config = TestnetSessionConfig(
        enabled=r.boolean("enabled", d.enabled),
        default_exchange=r.choice(
            "default_exchange", d.default_exchange, _exchange_name, EXCHANGES
        ),
        symbol=r.parsed("symbol", d.symbol, Symbol.parse),
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
        order_follow_timeout_seconds=r.decimal(
            "order_follow_timeout_seconds", d.order_follow_timeout_seconds, above=_ZERO
        ),
    )
    r.finish()
    return config


def read_live_risk(r: TableReader) -> LiveRiskLimits:
    """[live_risk] -> LiveRiskLimits; a missing key keeps the limit config.toml documents."""
    limits = LiveRiskLimits(
        enabled=r.boolean("enabled", True),
        base_currency=r.string(
            "base_currency", "EUR", pattern=ASSET_CODE, hint="an upper-case asset code such as EUR"
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
    )
    r.finish()
    return limits


def _exchange_name(text: str) -> str:
    if text not in EXCHANGES:
        raise ValueError(text)
    return text


def default_live_risk() -> LiveRiskLimits:
    """The limits a config without [live_risk] gets (the values config.toml documents)."""
    return read_live_risk(TableReader("", "live_risk", {}))
