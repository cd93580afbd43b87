"""OrderRecorder keeps a bounded execution log in memory; the run log gets every outcome."""

from __future__ import annotations

from decimal import Decimal

from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.orders.recorder import OrderRecorder
from peak_trade.domain.orders import ExecutionStatus, OrderRequest, OrderSide, RejectReason
from peak_trade.domain.portfolio import Portfolio


def refuse(recorder: OrderRecorder, coid: str) -> None:
    order = OrderRequest(symbol=BTC_EUR, side=OrderSide.BUY, quantity="0.01", client_order_id=coid)
    recorder.refused(
        order, Decimal(100), ExecutionStatus.RISK_BLOCKED, RejectReason.RISK_LIMIT, "too big"
    )


def test_the_execution_log_keeps_only_the_newest_entries_but_every_event_is_written() -> None:
    log = MemoryRunLog()
    recorder = OrderRecorder(
        portfolio=Portfolio(base_currency="EUR", cash=Decimal(1000)),
        clock=SimulatedClock(T0),
        event_log=log,
        keep=2,
    )
    for n in range(5):
        refuse(recorder, f"c-{n}")
    kept = [entry.result.request.client_order_id for entry in recorder.execution_log]
    assert kept == ["c-3", "c-4"]
    assert [e["client_order_id"] for e in log.of_type("order_result")] == [
        f"c-{n}" for n in range(5)
    ]
    assert recorder.counters.risk_blocked == 5
