"""The `peak-trade` command line: argparse and presentation only.

One module per command (session, monitor, dashboard, data); `main` dispatches to them and maps
errors to exit codes. Building anything goes through peak_trade.app.bootstrap.
"""

from __future__ import annotations

from peak_trade.app.cli.main import main

__all__ = ["main"]
