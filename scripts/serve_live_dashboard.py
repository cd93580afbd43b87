"""Seed-compatible entry point: `python3 -m scripts.serve_live_dashboard` (http://localhost:8000).

Same as `peak-trade dashboard [flags]` (see `peak-trade dashboard --help`).
"""

from __future__ import annotations

import sys

from peak_trade.app.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main(["dashboard", *sys.argv[1:]]))
