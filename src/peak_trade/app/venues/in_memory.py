"""The in-memory replay venue: the registry entry and its config section."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig, in_memory_venue
from peak_trade.app.config.reader import ASSET_CODE, TableReader
from peak_trade.app.venues import VenueBuild, VenueSpec
from peak_trade.ports.exchange import ExchangePort
from peak_trade.ports.replay import CandleFilesPort

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
    """The in-memory venue a replay feeds (ReplayVenuePort) with the plan's symbols' rules."""
    from peak_trade.adapters.in_memory.exchange import InMemoryExchange

    plan = build.plan
    if plan is None or plan.replays is None:
        raise ValueError("the in_memory exchange replays candle files: it needs a session plan")
    return InMemoryExchange(
        build.settings,
        build.clock,
        symbols=plan.session.symbols,
        timeframe=plan.session.timeframe,
    )


def _candle_files() -> CandleFilesPort:
    from peak_trade.adapters.candle_files import CandleFileReader

    return CandleFileReader()


IN_MEMORY = VenueSpec(
    name="in_memory",
    description="offline replay of candle files on a simulated clock (a sandbox: no network)",
    read_settings=read_in_memory,
    venue=in_memory_venue,
    credential_vars=lambda _settings: (),
    candle_files=_candle_files,
    orders_outside_process=False,
    build=_build,
)
