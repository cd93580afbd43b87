"""`peak-trade data synth|fetch`: make a seeded synthetic candle CSV or record real Kraken OHLC."""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc


def add_parser(subparsers: Any) -> None:
    """Register `data` with its `synth` and `fetch` sub-commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "data",
        help="make or record candle CSV files for replays",
        description="Candle files for `peak-trade session --exchange in_memory --replay CSV`.",
    )
    actions = parser.add_subparsers(dest="data_command", required=True, metavar="ACTION")

    synth = actions.add_parser(
        "synth",
        help="write a seeded synthetic candle CSV",
        description=(
            "Write seeded synthetic candles: a geometric random walk with switching volatility "
            "regimes, labelled synthetic in the file header. The same arguments give the same file."
        ),
    )
    _add_file_and_market(synth)
    synth.add_argument("--candles", type=int, default=3000, metavar="N", help="rows (default 3000)")
    synth.add_argument("--seed", type=int, default=42, metavar="S", help="random seed (default 42)")
    synth.add_argument(
        "--start", default="2026-01-01T00:00:00Z", metavar="ISO", help="first candle's open time"
    )
    synth.add_argument(
        "--start-price", default="60000", metavar="PRICE", help="first open (default 60000)"
    )
    synth.set_defaults(handler=run_synth)

    fetch = actions.add_parser(
        "fetch",
        help="record real OHLC candles from Kraken's public API",
        description=(
            "Record closed candles from Kraken's public OHLC endpoint (no credentials needed) "
            "into the same CSV format. Kraken serves at most the last 720 candles."
        ),
    )
    _add_file_and_market(fetch)
    fetch.add_argument("--since", metavar="ISO", help="only candles opening after this time")
    fetch.add_argument("--config", metavar="PATH", help="config file for [exchange.kraken_testnet]")
    fetch.add_argument(
        "--base-url", metavar="URL", help="Kraken REST base URL (default from config)"
    )
    fetch.set_defaults(handler=run_fetch)


def _add_file_and_market(parser: argparse.ArgumentParser) -> None:
    """--out, --symbol and --timeframe, the same for both actions."""
    parser.add_argument("--out", type=Path, required=True, metavar="PATH", help="CSV to write")
    parser.add_argument("--symbol", default="BTC/EUR", help="market (default BTC/EUR)")
    parser.add_argument("--timeframe", default="1m", help="candle timeframe (default 1m)")


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


def run_synth(args: argparse.Namespace) -> int:
    """`data synth`: seeded synthetic candles to --out."""
    from peak_trade.app.bootstrap import write_synthetic_file

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
    began = time.perf_counter()
    if args.out.parent != args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    rows, source = write_synthetic_file(
        args.out,
        symbol=symbol,
        timeframe=timeframe,
        candles=args.candles,
        seed=args.seed,
        start=start,
        start_price=start_price,
    )
    took = time.perf_counter() - began
    print(f"wrote {rows} synthetic {timeframe} {symbol} candles to {args.out} ({took:.1f} s)")
    print(f"source: {source}")
    return EXIT_OK


def run_fetch(args: argparse.Namespace) -> int:
    """`data fetch`: closed Kraken OHLC candles to --out (public endpoint, no credentials)."""
    from peak_trade.app.bootstrap import market_data_exchange
    from peak_trade.app.candles.download import record_candles
    from peak_trade.app.config import load_config_from

    symbol, timeframe = _market(args.symbol, args.timeframe)
    since = parse_iso_utc(args.since, "--since") if args.since else None
    config = load_config_from(args.config, os.environ)
    client, base_url = market_data_exchange(config, "kraken_testnet", base_url=args.base_url)
    try:
        candles = record_candles(client, symbol, timeframe, since)
    finally:
        client.close()
    if not candles:
        raise UsageError(
            f"Kraken returned no closed {timeframe} {symbol} candles after {args.since}"
        )
    source = (
        f"kraken OHLC {base_url} interval={timeframe.label} "
        f"fetched {isoformat_utc(datetime.now(UTC))}"
    )
    from peak_trade.app.bootstrap import write_candle_file

    if args.out.parent != args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    write_candle_file(args.out, candles, symbol=symbol, timeframe=timeframe, source=source)
    first, last = isoformat_utc(candles[0].open_time), isoformat_utc(candles[-1].open_time)
    print(f"wrote {len(candles)} {timeframe} {symbol} candles ({first} .. {last}) to {args.out}")
    return EXIT_OK
