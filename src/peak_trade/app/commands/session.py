"""`peak-trade session`: run a testnet session (Kraken validate-only or an offline replay)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

LOG_LEVELS = ("debug", "info", "warning", "error")


def add_parser(subparsers: Any) -> None:
    """Register `session` and its flags (design.md section 7)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "session",
        help="run a testnet trading session",
        description=(
            "Run a strategy against Kraken in validate-only mode (orders checked by Kraken, "
            "fills simulated in a local paper ledger) or offline against a replayed candle file. "
            "Ctrl+C finishes the current step, writes the summary and exits 0."
        ),
        epilog=(
            "offline demo: peak-trade session --config config/demo.toml --exchange in_memory "
            "--replay data/btc_eur_1m_synthetic.csv"
        ),
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $PEAK_TRADE_CONFIG, else config/config.toml)",
    )
    parser.add_argument(
        "--exchange",
        choices=("kraken_testnet", "in_memory"),
        help="venue (default: [testnet_session] default_exchange)",
    )
    parser.add_argument(
        "--strategy", metavar="NAME", help="registered strategy name (default from config)"
    )
    parser.add_argument("--symbol", metavar="BASE/QUOTE", help="market, e.g. BTC/EUR")
    parser.add_argument(
        "--timeframe", metavar="TF", help="candle timeframe: 1m 5m 15m 30m 1h 4h 1d 1w 15d"
    )
    parser.add_argument(
        "--duration", metavar="MINUTES", help="stop after this many minutes (fractions allowed)"
    )
    parser.add_argument("--max-steps", type=int, metavar="N", help="stop after N polling steps")
    parser.add_argument(
        "--replay",
        type=Path,
        metavar="CSV",
        help="candle file to replay (with --exchange in_memory)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check config, wiring and credentials; print the plan; send and write nothing",
    )
    parser.add_argument("--run-id", metavar="ID", help="run id (default: UTC time + random suffix)")
    parser.add_argument(
        "--log-dir",
        type=Path,
        metavar="DIR",
        help="run log directory (default: [run_logging] base_dir)",
    )
    parser.add_argument("--no-logging", action="store_true", help="write no run log")
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="warning",
        help="log level on stderr (default: warning)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load config, resolve the plan, then dry-run or run the session."""
    from peak_trade.app.session_command import run_session_command

    return run_session_command(args)
