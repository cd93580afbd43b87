"""The in-memory replay venue: the registry entry and its config section."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig, in_memory_venue
from peak_trade.app.config.reader import ASSET_CODE, TableReader
from peak_trade.app.errors import UsageError
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.venues import VenueBuild, VenueSpec
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.exchange import ExchangePort

_ZERO = Decimal(0)
_ONE = Decimal(1)
_MAX_BPS = Decimal(10000)


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


def _build(build: VenueBuild) -> ExchangePort:
    from peak_trade.adapters.in_memory.exchange import InMemoryExchange
    from peak_trade.adapters.in_memory.replay import iter_candles_csv

    plan = build.plan
    if plan is None or plan.replay_path is None:
        raise ValueError("the in_memory exchange needs a replay file")
    candles = iter_candles_csv(plan.replay_path, plan.session.symbol)
    return InMemoryExchange(
        build.settings,
        build.clock,
        candles,
        symbol=plan.session.symbol,
        timeframe=plan.session.timeframe,
    )


def _replay_start(path: Path, session: TestnetSessionConfig) -> datetime:
    """Check the replay file against the session; the clock starts after the warmup candles."""
    from peak_trade.adapters.in_memory.replay import iter_candles_csv, read_csv_header

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
        seconds = Timeframe.parse(file_tf).seconds
        if session.timeframe.seconds % seconds:
            raise UsageError(
                f"--replay {path} has {file_tf} candles; the session timeframe "
                f"{session.timeframe} is not a multiple of it"
            )
    if first is None:
        raise UsageError(f"--replay {path} holds no candles")
    warm = timedelta(seconds=session.timeframe.seconds * session.warmup_candles)
    return first.open_time + warm


IN_MEMORY = VenueSpec(
    name="in_memory",
    description="offline replay of candle files on a simulated clock (a sandbox: no network)",
    read_settings=read_in_memory,
    venue=in_memory_venue,
    credential_vars=lambda _settings: (),
    replays_files=True,
    replay_start=_replay_start,
    build=_build,
)
