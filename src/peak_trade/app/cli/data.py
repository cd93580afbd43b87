"""`peak-trade data synth|fetch`: make a seeded synthetic candle CSV or record real candles.

`fetch` reads public market data only (no credentials, never an order): Kraken's OHLC (the
last 720 candles) or Binance's klines from production, paged through long histories.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc

if TYPE_CHECKING:
    from peak_trade.app.candles.history import PageProgress

EXCHANGES = {"kraken": "kraken_testnet", "binance": "binance_testnet"}


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
        help="record real candles from Kraken's or Binance's public market data",
        description=(
            "Record closed candles from a venue's public market data (no credentials, never an "
            "order) into the same CSV format. kraken (default): Kraken's OHLC endpoint, at most "
            "the last 720 candles. binance: Binance's klines from production "
            "(https://api.binance.com), paged 1000 candles a call through any range."
        ),
    )
    _add_file_and_market(fetch)
    fetch.add_argument(
        "--exchange", choices=tuple(EXCHANGES), default="kraken", help="venue (default kraken)"
    )
    fetch.add_argument(
        "--since",
        metavar="ISO",
        help="kraken: only candles opening after this time; binance: first open time "
        "(inclusive; default: the 1000 candles before --until)",
    )
    fetch.add_argument(
        "--until", metavar="ISO", help="only candles opening before this time (default now)"
    )
    fetch.add_argument("--config", metavar="PATH", help="config file ([exchange.*] settings)")
    fetch.add_argument(
        "--base-url",
        metavar="URL",
        help="REST base URL (default: kraken from config, binance https://api.binance.com)",
    )
    fetch.set_defaults(handler=run_fetch)


def _add_file_and_market(parser: argparse.ArgumentParser) -> None:
    """--out, --symbol and --timeframe, the same for both actions."""
    parser.add_argument("--out", type=Path, required=True, metavar="PATH", help="CSV to write")
    parser.add_argument("--symbol", default="BTC/EUR", help="market (default BTC/EUR)")
    parser.add_argument("--timeframe", default="1m", help="candle timeframe (default 1m)")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")


def _prepare_out(args: argparse.Namespace) -> None:
    """Refuse an existing --out unless --force (before any work or network call); make its
    directory."""
    if args.out.exists() and not args.force:
        raise UsageError(f"--out: {args.out} exists; pass --force to replace it")
    if args.out.parent != args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)


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
    _prepare_out(args)
    began = time.perf_counter()
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


def _market_data_config(given: str | None) -> Any:
    """The config whose [exchange.*] settings `data fetch` uses: --config or
    $PEAK_TRADE_CONFIG when given, else config/config.toml when it exists, else the documented
    defaults (public market data needs no credentials, so no config file is required)."""
    from peak_trade.app.config import AppConfig, load_config_from
    from peak_trade.app.config.app_config import CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH

    if given or os.environ.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_PATH.exists():
        return load_config_from(given, os.environ)
    return AppConfig(path=Path("<defaults>"), sha256="")


def run_fetch(args: argparse.Namespace) -> int:
    """`data fetch`: closed candles of a venue's public market data to --out."""
    symbol, timeframe = _market(args.symbol, args.timeframe)
    since = parse_iso_utc(args.since, "--since") if args.since else None
    until = parse_iso_utc(args.until, "--until") if args.until else None
    _prepare_out(args)
    config = _market_data_config(args.config)
    if args.exchange == "binance":
        return _fetch_binance(args, config, symbol, timeframe, since, until)
    return _fetch_kraken(args, config, symbol, timeframe, since, until)


def _fetch_kraken(
    args: argparse.Namespace,
    config: Any,
    symbol: Symbol,
    timeframe: Timeframe,
    since: datetime | None,
    until: datetime | None,
) -> int:
    from peak_trade.app.bootstrap import market_data_exchange
    from peak_trade.app.candles.download import record_candles

    client, base_url = market_data_exchange(config, EXCHANGES["kraken"], base_url=args.base_url)
    try:
        candles = record_candles(client, symbol, timeframe, since)
    finally:
        client.close()
    candles = [c for c in candles if until is None or c.open_time < until]
    if not candles:
        raise UsageError(
            f"Kraken returned no closed {timeframe} {symbol} candles after {args.since}"
        )
    source = (
        f"kraken OHLC {base_url} interval={timeframe.label} "
        f"fetched {isoformat_utc(datetime.now(UTC))}"
    )
    _write(args, candles, symbol, timeframe, source)
    first, last = isoformat_utc(candles[0].open_time), isoformat_utc(candles[-1].open_time)
    print(f"wrote {len(candles)} {timeframe} {symbol} candles ({first} .. {last}) to {args.out}")
    return EXIT_OK


def _fetch_binance(
    args: argparse.Namespace,
    config: Any,
    symbol: Symbol,
    timeframe: Timeframe,
    since: datetime | None,
    until: datetime | None,
) -> int:
    from peak_trade.app.bootstrap.tools import binance_kline_history
    from peak_trade.app.candles.history import HistoryDownload, HistoryRange
    from peak_trade.ports.errors import UnknownSymbolError, UnsupportedTimeframeError

    fetched = datetime.now(UTC).replace(microsecond=0)
    try:
        window = HistoryRange.ending(until or fetched, timeframe, since)
    except ValueError as exc:
        raise UsageError(f"--since/--until: {exc}") from None
    span = f"{isoformat_utc(window.start)} until {isoformat_utc(window.end)}"
    history, base_url = binance_kline_history(config, base_url=args.base_url)
    progress = FetchProgress(sys.stderr, f"{symbol} {timeframe}")
    download = HistoryDownload(history, symbol, timeframe, window, on_page=progress.update)
    try:
        candles = download.candles()
        first = next(candles, None)  # nothing is written unless a candle came
        if first is None:
            raise UsageError(f"Binance returned no closed {timeframe} {symbol} candles {span}")
        source = (
            f"binance klines {base_url} interval={timeframe.label} from {span} "
            f"fetched {isoformat_utc(fetched)}"
        )
        rows = _write(args, itertools.chain([first], candles), symbol, timeframe, source)
    except UnknownSymbolError as exc:
        hint = f"; close matches: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise UsageError(f"--symbol: {exc}{hint}") from None
    except UnsupportedTimeframeError as exc:
        raise UsageError(f"--timeframe: {exc}") from None
    finally:
        progress.finish()
        history.close()
    assert download.last is not None
    first_time, last_time = isoformat_utc(first.open_time), isoformat_utc(download.last.open_time)
    print(f"wrote {rows} {timeframe} {symbol} candles ({first_time} .. {last_time}) to {args.out}")
    return EXIT_OK


def _write(
    args: argparse.Namespace,
    candles: Iterable[Candle],
    symbol: Symbol,
    timeframe: Timeframe,
    source: str,
) -> int:
    from peak_trade.app.bootstrap.tools import write_candle_stream

    try:
        return write_candle_stream(
            args.out,
            candles,
            symbol=symbol,
            timeframe=timeframe,
            source=source,
            overwrite=args.force,
        )
    except FileExistsError:
        raise UsageError(f"--out: {args.out} exists; pass --force to replace it") from None


class FetchProgress:
    """One rewritten line on a terminal while pages arrive; silent when not a TTY."""

    def __init__(self, stream: TextIO, label: str, *, enabled: bool | None = None) -> None:
        self._stream = stream
        self._label = label
        self._enabled = stream.isatty() if enabled is None else enabled
        self._width = 0

    def update(self, page: PageProgress) -> None:
        if not self._enabled:
            return
        text = (
            f"fetching {self._label}: {page.candles} candles, up to "
            f"{isoformat_utc(page.last_open)} ({page.fraction:.0%})"
        )
        self._stream.write("\r" + text + " " * max(0, self._width - len(text)))
        self._stream.flush()
        self._width = len(text)

    def finish(self) -> None:
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
