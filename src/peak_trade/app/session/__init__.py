"""The testnet session use case (imports only domain, ports, app errors and the order path).

The seed's names live here: TestnetSession, TestnetSessionConfig and TestnetSessionMetrics;
`build_testnet_session` is in peak_trade.app.bootstrap, the composition root.
"""

from __future__ import annotations

from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.app.session.session import TestnetSession

__all__ = ["TestnetSession", "TestnetSessionConfig", "TestnetSessionMetrics"]
