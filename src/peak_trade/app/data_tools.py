"""What `peak-trade data synth|fetch` do: argument checks, generation, recording, reporting."""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import attrs

from peak_trade.adapters.clocks import SystemClock
from peak_trade.adapters.in_memory.replay import write_candles_csv
from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.app.synthetic import SynthSpec, write_synthetic_csv
from peak_trade.app.warmup import closed_pages
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.exchange import ExchangePort


def parse_iso_utc(text: str, flag: str) -> datetime:
    """ISO-8601 with `Z` or an offset, as UTC; a naive time is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{flag}: {text!r} is not an ISO-8601 time like 2026-01-01T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _market(symbol: str, timeframe: str) -> tuple[Symbol, Timeframe]:
    try:
        return Symbol.parse(symbol), Timeframe.parse(timeframe)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def synth(args: argparse.Namespace) -> int:
    """`data synth`: seeded synthetic candles to --out."""
    symbol, timeframe = _market(args.symbol, args.timeframe)
    if args.candles < 1:
        raise UsageError(f"--candles must be >= 1, got {args.candles}")
    try:
        start_price = Decimal(args.start_price)
    except InvalidOperation:
        raise UsageError(f"--start-price: {args.start_price!r} is not a number") from None
    if not start_price.is_finite() or start_price <= 0:
        raise UsageError("--start-price must be a positive number")
    start = parse_iso_utc(args.start, "--start").replace(second=0, microsecond=0)
    spec = SynthSpec(
        symbol=symbol,
        timeframe=timeframe,
        candles=args.candles,
        seed=args.seed,
        start=start,
        start_price=start_price,
    )
    began = time.perf_counter()
    if args.out.parent != args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = write_synthetic_csv(args.out, spec)
    took = time.perf_counter() - began
    print(f"wrote {rows} synthetic {timeframe} {symbol} candles to {args.out} ({took:.1f} s)")
    print(f"source: {spec.source()}")
    return EXIT_OK


def fetch(args: argparse.Namespace) -> int:
    """`data fetch`: closed Kraken OHLC candles to --out (public endpoint, no credentials)."""
    from peak_trade.adapters.kraken.client import KrakenTestnetClient
    from peak_trade.app.config import load_config_from

    symbol, timeframe = _market(args.symbol, args.timeframe)
    since = parse_iso_utc(args.since, "--since") if args.since else None
    config = load_config_from(args.config, os.environ).kraken_testnet
    if args.base_url:
        config = attrs.evolve(config, base_url=args.base_url)
    client = KrakenTestnetClient(config, SystemClock(), environ={})
    try:
        candles = record_candles(client, symbol, timeframe, since)
    finally:
        client.close()
    if not candles:
        raise UsageError(
            f"Kraken returned no closed {timeframe} {symbol} candles after {args.since}"
        )
    source = (
        f"kraken OHLC {config.base_url} interval={timeframe.label} "
        f"fetched {isoformat_utc(datetime.now(UTC))}"
    )
    if args.out.parent != args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    write_candles_csv(args.out, candles, symbol=symbol, timeframe=timeframe, source=source)
    first, last = isoformat_utc(candles[0].open_time), isoformat_utc(candles[-1].open_time)
    print(f"wrote {len(candles)} {timeframe} {symbol} candles ({first} .. {last}) to {args.out}")
    return EXIT_OK


def record_candles(
    exchange: ExchangePort, symbol: Symbol, timeframe: Timeframe, since: datetime | None
) -> list[Candle]:
    """Closed candles after `since`, paging forward while pages come back full (720 rows)."""
    pages = closed_pages(exchange, symbol, timeframe, since, max_pages=1000)
    return [candle for page in pages for candle in page]
