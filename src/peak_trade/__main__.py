"""`python -m peak_trade` runs the command-line interface."""

from __future__ import annotations

from peak_trade.app.cli.main import main

raise SystemExit(main())
