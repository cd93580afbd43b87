"""`peak-trade data synth|fetch`: make a seeded synthetic candle CSV or record real Kraken OHLC."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


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


def run_synth(args: argparse.Namespace) -> int:
    """Write the synthetic file and say what was written."""
    from peak_trade.app.data_tools import synth

    return synth(args)


def run_fetch(args: argparse.Namespace) -> int:
    """Record Kraken OHLC and say what was written."""
    from peak_trade.app.data_tools import fetch

    return fetch(args)
