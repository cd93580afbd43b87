"""The order path: guards, risk, the venue, the ledger and the run log (design.md section 5).

The seed's names live here: TestnetExchangeOrderExecutor, TestnetExecutionLog (the record of
one order outcome) and EnvironmentNotTestnetError; `create_testnet_executor_from_config` is in
peak_trade.app.bootstrap, the one place that reads config into objects.
"""

from __future__ import annotations

from peak_trade.app.orders.execution_log import TestnetExecutionLog
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.domain.environment import EnvironmentNotTestnetError

__all__ = ["EnvironmentNotTestnetError", "TestnetExchangeOrderExecutor", "TestnetExecutionLog"]
