"""Seed-compatible entry point: `python3 -m scripts.monitor_live_run --latest [--alerts] [--tail]`.

Same as `peak-trade monitor [flags]` (see `peak-trade monitor --help`).
"""

from __future__ import annotations

import sys

from peak_trade.app.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main(["monitor", *sys.argv[1:]]))
