"""Composition for the other entry points: market data, candle files, the run monitor, and the
seed's executor factory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from peak_trade.adapters.candle_files import write_candles_csv
from peak_trade.adapters.clocks import SystemClock
from peak_trade.adapters.in_memory.synthetic import SynthSpec, write_synthetic_csv
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.candles.history import KlineHistory
from peak_trade.app.config import AppConfig
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.venues import VenueBuild, VenueRegistry, builtin_venues
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort
from peak_trade.ports.runlog import RunArchivePort


def venue_exchange(
    config: AppConfig,
    exchange: str,
    clock: ClockPort,
    environ: Mapping[str, str],
    venues: VenueRegistry | None = None,
) -> ExchangePort:
    """A registered venue's ExchangePort outside a session (its guards still run)."""
    settings = config.exchange(exchange)
    build = VenueBuild(settings=settings, clock=clock, environ=environ, plan=None)
    return (venues or builtin_venues()).get(exchange).build(build)


def market_data_exchange(
    config: AppConfig, exchange: str, *, base_url: str | None = None
) -> tuple[ExchangePort, str]:
    """A venue adapter for public market data only (`data fetch`): no credentials, no orders;
    and the base URL it reads from."""
    settings: Any = config.exchange(exchange)
    if base_url:
        settings = attrs.evolve(settings, base_url=base_url)
    build = VenueBuild(settings=settings, clock=SystemClock(), environ={}, plan=None)
    return builtin_venues().get(exchange).build(build), str(settings.base_url)


def write_candle_file(
    path: Path, candles: Sequence[Candle], *, symbol: Symbol, timeframe: Timeframe, source: str
) -> None:
    """Write candles in this project's v1 candle file format (atomically)."""
    write_candles_csv(path, candles, symbol=symbol, timeframe=timeframe, source=source)


def binance_kline_history(
    config: AppConfig, *, base_url: str | None = None
) -> tuple[KlineHistory, str]:
    """Binance's public klines for `data fetch --exchange binance`, and the base URL read.

    Production (api.binance.com) by default: public endpoints only. The client gets no
    credentials and is validate-only, so it could not place an order even if asked to.
    """
    from peak_trade.adapters.binance import BinanceTestnetClient
    from peak_trade.adapters.binance.venue import MARKET_DATA_URL

    settings: Any = config.exchange("binance_testnet")
    url = (base_url or MARKET_DATA_URL).rstrip("/")
    settings = attrs.evolve(settings, base_url=url, validate_only=True)
    return BinanceTestnetClient(settings, SystemClock(), environ={}), url


def write_candle_stream(
    path: Path,
    candles: Iterable[Candle],
    *,
    symbol: Symbol,
    timeframe: Timeframe,
    source: str,
    overwrite: bool,
) -> int:
    """Stream candles into a v1 candle file (atomically; with overwrite=False an existing
    file is left alone and FileExistsError raised); returns the rows written."""
    return write_candles_csv(
        path, candles, symbol=symbol, timeframe=timeframe, source=source, overwrite=overwrite
    )


def write_synthetic_file(
    path: Path,
    *,
    symbol: Symbol,
    timeframe: Timeframe,
    candles: int,
    seed: int,
    start: datetime,
    start_price: Decimal,
) -> tuple[int, str]:
    """Write seeded synthetic candles to `path`; (rows written, the file's `source` text)."""
    spec = SynthSpec(
        symbol=symbol,
        timeframe=timeframe,
        candles=candles,
        seed=seed,
        start=start,
        start_price=start_price,
    )
    return write_synthetic_csv(path, spec), spec.source()


def open_run_archive(base_dir: Path) -> RunArchivePort:
    """The run logs under `base_dir`, read-only (`session --resume` reads its run's record)."""
    return RunLogReader(base_dir)


def open_run_monitor(base_dir: Path) -> tuple[RunMonitor, ClockPort]:
    """The read side over a run log directory, for `monitor` and `dashboard` (never writes)."""
    clock = SystemClock()
    return RunMonitor(RunLogReader(base_dir), clock), clock


def create_testnet_executor_from_config(
    config: AppConfig,
    *,
    exchange: ExchangePort,
    portfolio: Portfolio,
    clock: ClockPort,
    event_log: EventLogPort,
) -> TestnetExchangeOrderExecutor:
    """The executor with [environment], [live_risk] and [testnet_session] settings applied."""
    session = config.testnet_session
    return TestnetExchangeOrderExecutor(
        exchange=exchange,
        risk_limits=config.live_risk,
        portfolio=portfolio,
        environment=config.environment_config(),
        clock=clock,
        event_log=event_log,
        fee_rate=session.fee_rate,
        slippage_bps=session.slippage_bps,
        order_follow_timeout_seconds=session.order_follow_timeout_seconds,
        unknown_order_resolution_seconds=session.unknown_order_resolution_seconds,
        max_consecutive_order_failures=session.max_consecutive_order_failures,
    )
