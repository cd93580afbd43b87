"""Issue 12, findings 1 and 2, end to end: a whole session against a loopback venue that
applies orders and then answers ambiguously (429, EService:Unavailable, 5xx, a lost answer) or
applies them late. Whatever the answers, the venue's executed orders are exactly the session's
booked orders and fills, and the ledger's position is the venue's."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.integration.session.conftest import (
    BINANCE_KEY,
    KRAKEN_KEY,
    Venue,
    final_results,
    open_run_log,
    read_events,
)
from tests.support.binance_faults import Fault as BinanceFault
from tests.support.kraken_faults import Fault as KrakenFault
from tests.support.session_rig import live_session

from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol.parse("BTC/EUR")
BTC_USDT = Symbol.parse("BTC/USDT")

KRAKEN_APPLIED_THEN = [
    KrakenFault.http_status(429, process=True),
    KrakenFault.kraken_error("EService:Unavailable", process=True),
    KrakenFault.http_status(503, process=True),
    KrakenFault.kraken_error("EAPI:Rate limit exceeded", process=True),
    KrakenFault.close_connection(process=True),
    # answered 503 and applied only after the session's first lookups missed it
    KrakenFault.applied_late(KrakenFault.http_status(503), after_lookups=2),
]

BINANCE_APPLIED_THEN = [
    BinanceFault.rate_limited(process=True),
    BinanceFault.http_status(503, process=True),
    BinanceFault.binance_error(-1001, "Internal error; unable to process your request.",
                               status=500, process=True),
    BinanceFault.close_connection(process=True),
    BinanceFault.applied_late(BinanceFault.http_status(503), after_lookups=1),
]  # fmt: skip


def booked_fills(events: list[dict[str, Any]]) -> dict[str, Decimal]:
    """Quantity booked per venue order id from the run log's `fill` events."""
    booked: dict[str, Decimal] = defaultdict(Decimal)
    for event in events:
        if event["type"] == "fill":
            booked[event["order_id"]] += Decimal(event["quantity"])
    return dict(booked)


def test_kraken_session_books_exactly_what_the_venue_executed(
    kraken: Venue, tmp_path: Path
) -> None:
    for fault in KRAKEN_APPLIED_THEN:
        kraken.server.inject("AddOrder", fault)
    run_log = open_run_log(tmp_path, kraken.clock)
    rig = live_session(kraken.client, kraken.clock, run_log, symbol=BTC_EUR, max_steps=24)

    summary = rig.session.run()

    events = read_events(run_log)
    account = kraken.server.account(KRAKEN_KEY)
    venue_orders = {txid: o for txid, o in account.orders.items() if o["cl_ord_id"]}
    executed = {
        txid: Decimal(o["vol_exec"]) for txid, o in venue_orders.items() if Decimal(o["vol_exec"])
    }
    intents = [e["client_order_id"] for e in events if e["type"] == "order_intent"]
    results = final_results(events)

    assert summary["status"] == "completed"
    assert len(intents) > len(KRAKEN_APPLIED_THEN)  # every fault met an order, more followed
    assert kraken.server.request_counts["AddOrder"] == len(intents)  # each intent sent once
    placed_ids = [o["cl_ord_id"] for o in venue_orders.values()]
    assert len(placed_ids) == len(set(placed_ids))  # never executed twice
    assert set(placed_ids) <= set(intents)
    assert booked_fills(events) == executed  # every executed order booked, nothing else
    assert {results[o["cl_ord_id"]]["status"] for o in venue_orders.values()} == {"filled"}
    assert rig.executor.unresolved() == ()
    # The venue's position as its trade history reports it: bought minus sold, minus the fees
    # it took in BTC (sells pay their fee in base). The XXBT balance agrees to the 8 decimals
    # those fees are reported in.
    trades = [t for t in account.trades.values() if t["ordertxid"] in venue_orders]
    position = sum(
        (Decimal(t["vol"]) if t["type"] == "buy" else -Decimal(t["vol"]) - Decimal(t["fee"])
         for t in trades),
        Decimal(0),
    )  # fmt: skip
    balance = account.balances["XXBT"] - Decimal(10)
    assert abs(balance - position) <= Decimal("0.00000001") * len(trades)
    assert rig.portfolio.quantity(BTC_EUR) == position


def test_binance_session_books_exactly_what_the_venue_executed(
    binance: Venue, tmp_path: Path
) -> None:
    # Commissions in BNB (as with "pay fees with BNB"): a base-asset fee would leave dust that
    # keeps this flip strategy from trading again, and the test wants a steady order stream.
    binance.server.book.bnb_fees = True
    for fault in BINANCE_APPLIED_THEN:
        binance.server.inject("POST", "/api/v3/order", fault)
    run_log = open_run_log(tmp_path, binance.clock)
    rig = live_session(
        binance.client, binance.clock, run_log, symbol=BTC_USDT, quote="USDT", max_steps=24
    )

    summary = rig.session.run()

    events = read_events(run_log)
    account = binance.server.account(BINANCE_KEY)
    venue_orders = list(account.orders.values())
    executed = {
        str(o["orderId"]): Decimal(o["executedQty"])
        for o in venue_orders
        if Decimal(o["executedQty"])
    }
    intents = [e["client_order_id"] for e in events if e["type"] == "order_intent"]

    assert summary["status"] == "completed"
    assert len(intents) > len(BINANCE_APPLIED_THEN)
    assert binance.server.request_counts["POST /api/v3/order"] == len(intents)
    placed = [o["clientOrderId"] for o in venue_orders]
    assert len(placed) == len(set(placed))  # never executed twice
    assert booked_fills(events) == executed
    assert rig.executor.unresolved() == ()
    position = sum(
        (Decimal(o["executedQty"]) * (1 if o["side"] == "BUY" else -1) for o in venue_orders),
        Decimal(0),
    )
    assert rig.portfolio.quantity(BTC_USDT) == position
