"""Seed-compatible entry point: `python3 -m scripts.run_testnet_session [flags]`.

Same as `peak-trade session [flags]` (see `peak-trade session --help`).
"""

from __future__ import annotations

import sys

from peak_trade.app.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main(["session", *sys.argv[1:]]))
