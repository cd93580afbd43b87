"""A BNB commission through the executor: the ledger books its quote value, the `fill` event
records what was charged (fee_asset, fee_amount, fee_rate)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.integration.binance.conftest import KEY, MakeRig, Rig

from peak_trade.adapters.runlog.writer import RunLogWriter
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.domain.environment import EnvironmentConfig
from peak_trade.domain.orders import ExecutionStatus, OrderRequest, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol

BTC_USDT = Symbol.parse("BTC/USDT")


def _execute(rig: Rig, tmp_path: Path, *sides: OrderSide) -> tuple[Portfolio, list[dict[str, Any]]]:
    portfolio = Portfolio(base_currency="USDT", cash=Decimal(10000))
    log = RunLogWriter(tmp_path / "runs", "fees", rig.clock)
    executor = TestnetExchangeOrderExecutor(
        exchange=rig.client,
        risk_limits=LiveRiskLimits(max_order_notional=Decimal(5000)),
        portfolio=portfolio,
        environment=EnvironmentConfig(),
        clock=rig.clock,
        event_log=log,
        fee_rate=Decimal("0.001"),
        slippage_bps=Decimal(0),
    )
    for n, side in enumerate(sides):
        order = OrderRequest(
            symbol=BTC_USDT, side=side, quantity=Decimal("0.002"), client_order_id=f"fee-{n}"
        )
        assert executor.execute(order).status is ExecutionStatus.FILLED
    log.close()
    lines = (tmp_path / "runs" / "fees" / "events.jsonl").read_text().splitlines()
    return portfolio, [e for e in map(json.loads, lines) if e["type"] == "fill"]


def test_a_bnb_commission_is_booked_in_quote_and_its_charge_recorded_in_the_fill_event(
    make_rig: MakeRig, tmp_path: Path
) -> None:
    rig = make_rig()
    rig.server.book.bnb_fees = True
    portfolio, fills = _execute(rig, tmp_path, OrderSide.BUY, OrderSide.SELL)

    trades = rig.server.account(KEY).trades
    assert [t["commissionAsset"] for t in trades] == ["BNB", "BNB"]
    assert len(fills) == 2
    for event, trade in zip(fills, trades, strict=True):
        amount, rate = Decimal(event["fee_amount"]), Decimal(event["fee_rate"])
        assert event["fee_asset"] == "BNB"
        assert amount == Decimal(trade["commission"])
        assert rate > 0
        assert event["fee_currency"] == "USDT"
        assert Decimal(event["fee"]) == amount * rate
        assert event["simulated"] is False
    assert portfolio.fees_paid == sum(Decimal(e["fee"]) for e in fills)
    assert portfolio.fees_paid > 0
    assert portfolio.quantity(BTC_USDT) == 0  # the BNB fee took nothing from the BTC bought


def test_fees_in_base_or_quote_carry_no_charge_fields(make_rig: MakeRig, tmp_path: Path) -> None:
    rig = make_rig()
    portfolio, fills = _execute(rig, tmp_path, OrderSide.BUY, OrderSide.SELL)

    assert [e["fee_currency"] for e in fills] == ["BTC", "USDT"]
    assert all("fee_asset" not in e and "fee_rate" not in e for e in fills)
    assert portfolio.fees_paid > 0
