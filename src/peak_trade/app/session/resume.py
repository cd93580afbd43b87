"""Resuming a run: which life this is, and a live session's state rebuilt from its run log.

A resumed replay is re-simulated from its files' start against its own record (every event
must come out equal; see adapters/runlog/resume.py), so its figures are those of a run that was
never stopped. A live session cannot be re-simulated (the venue moved on): `restore_live`
rebuilds what the trading core needs from the recorded events instead — the ledger (every
fill booked again at its recorded price and fee, every recorded mark applied at its time, so
peak and day-start equity come out as they were), the order counters, the order numbering,
each symbol's strategy target and signal count, the trading state and the orders whose outcome
the previous life never learned, which the executor takes over and reconciles with the venue by
client order id before anything new is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.orders.execution_log import OrderContext, OrderCounters
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session.core import TradingCore
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.orders import (
    AckStatus,
    ChargedFee,
    ExecutionStatus,
    Fill,
    OrderRequest,
    OrderSide,
    OrderType,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.domain.trading_state import TradingState
from peak_trade.ports.events import ResumeMismatchError

CAUSES = {  # the previous life's session_ended status -> why this life exists
    None: "crash",  # it never wrote session_ended (SIGKILL, power loss, OOM)
    "interrupted": "signal",  # Ctrl+C / SIGTERM
    "halted": "halted",
    "failed": "failure",
}


@attrs.frozen(kw_only=True)
class ResumeInfo:
    """Which life of a recorded run this one is and why the previous one stopped.

    `previous_lives` are the earlier lives as summary.json lists them; `replay` says whether
    the run is re-simulated (a replay) or rebuilt from its events (a live venue).
    """

    life: int
    cause: str  # crash | signal | halted | failure
    previous_status: str | None  # the previous life's session_ended status (None: crashed)
    last_seq: int  # the last whole event of the record
    first_started_at: datetime | None  # the first life's wall-clock start (meta started_at)
    previous_lives: tuple[Mapping[str, Any], ...] = ()
    replay: bool = False

    def resumed_payload(self, resumed_at: datetime) -> dict[str, Any]:
        """The `session_resumed` event (docs/run-log.md)."""
        return {
            "life": self.life,
            "resumed_at": isoformat_utc(resumed_at),
            "cause": self.cause,
            "previous_status": self.previous_status,
            "after_seq": self.last_seq,
            "mode": "re-simulated" if self.replay else "rebuilt from events",
        }


@attrs.define(kw_only=True)
class UnresolvedOrder:
    """An order of an earlier life with an `order_intent` but no final `order_result`."""

    request: OrderRequest
    reference: Decimal | None
    context: OrderContext
    sent_at: datetime
    booked_trade_ids: set[str] = attrs.field(factory=set)


@attrs.define(kw_only=True)
class RestoredRun:
    """What `restore_live` rebuilt, for the session and its `session_resumed` event."""

    steps: int = 0
    fills: int = 0
    last_order_number: int = 0
    unresolved: list[UnresolvedOrder] = attrs.field(factory=list)
    state: tuple[TradingState, str, datetime | None] | None = None


def restore_live(
    events: Iterable[Mapping[str, Any]],
    *,
    core: TradingCore,
    portfolio: Portfolio,
    executor: TestnetExchangeOrderExecutor,
) -> RestoredRun:
    """Apply a live run's recorded events to fresh session objects (see the module doc).

    Raises ResumeMismatchError when a fill's recorded ledger (`cash_after`, `position_after`)
    differs from the ledger rebuilt up to it.
    """
    rebuild = _Rebuild(core=core, portfolio=portfolio)
    for event in events:
        rebuild.apply(event)
    executor.restore_counters(rebuild.counters, rebuild.by_symbol)
    core.trader.continue_numbering(rebuild.restored.last_order_number + 1)
    core.candles_processed = rebuild.candles
    core.signals = sum(book.signals for book in core.books.values())
    rebuild.restored.unresolved = rebuild.unresolved
    return rebuild.restored


class _Rebuild:
    def __init__(self, *, core: TradingCore, portfolio: Portfolio) -> None:
        self._core = core
        self._portfolio = portfolio
        self.counters = OrderCounters()
        self.by_symbol: dict[Symbol, OrderCounters] = {}
        self.restored = RestoredRun()
        self.candles = 0
        self._open: dict[str, UnresolvedOrder] = {}
        self._handlers = {
            "candle": self._candle,
            "heartbeat": self._heartbeat,
            "fill": self._fill,
            "simulated_fill": self._fill,
            "signal": self._signal,
            "order_intent": self._intent,
            "order_result": self._result,
            "state_changed": self._state,
        }

    def apply(self, event: Mapping[str, Any]) -> None:
        handler = self._handlers.get(str(event.get("type")))
        if handler is not None:
            handler(event, _time(event["ts"]))

    def _counters(self, symbol: Symbol) -> tuple[OrderCounters, OrderCounters]:
        per = self.by_symbol.get(symbol)
        if per is None:
            per = self.by_symbol[symbol] = OrderCounters()
        return self.counters, per

    def _candle(self, event: Mapping[str, Any], ts: datetime) -> None:
        symbol = Symbol.parse(event["symbol"])
        self._portfolio.mark(symbol, Decimal(event["close"]), ts)
        book = self._core.books.get(symbol)
        if book is not None:
            book.candles += 1
        self.candles += 1

    def _heartbeat(self, event: Mapping[str, Any], ts: datetime) -> None:
        for text, price in (event.get("marks") or {}).items():
            if price is not None:
                self._portfolio.mark(Symbol.parse(text), Decimal(price), ts)
        self.restored.steps = int(event.get("step") or 0)

    def _fill(self, event: Mapping[str, Any], ts: datetime) -> None:
        fill = _fill_of(event)
        self._portfolio.apply_fill(fill)
        for counters in self._counters(fill.symbol):
            if fill.simulated:
                counters.simulated_fills += 1
            else:
                counters.real_fills += 1
        self.restored.fills += 1
        for pending in self._open.values():
            if pending.request.symbol == fill.symbol:
                pending.booked_trade_ids.add(fill.trade_id)
        _agree(event, "cash_after", self._portfolio.cash)
        _agree(event, "position_after", self._portfolio.quantity(fill.symbol))

    def _signal(self, event: Mapping[str, Any], ts: datetime) -> None:
        book = self._core.books.get(Symbol.parse(event["symbol"]))
        if book is not None:
            book.target = Decimal(event["target"])
            book.signals += 1

    def _intent(self, event: Mapping[str, Any], ts: datetime) -> None:
        request = _request_of(event)
        for counters in self._counters(request.symbol):
            counters.submitted += 1
        number = event.get("order_no")
        if isinstance(number, int):
            self.restored.last_order_number = max(self.restored.last_order_number, number)
        reference = event.get("reference_price")
        self._open[request.client_order_id] = UnresolvedOrder(
            request=request,
            reference=Decimal(reference) if reference is not None else None,
            context=OrderContext(
                number=number if isinstance(number, int) else None,
                intent=str(event.get("intent") or "open"),
                reason=str(event.get("trigger") or "signal"),
            ),
            sent_at=ts,
        )

    def _result(self, event: Mapping[str, Any], ts: datetime) -> None:
        symbol = Symbol.parse(event["symbol"])
        ack = event.get("ack_status")
        status = ExecutionStatus(event["status"]) if event.get("status") != "error" else None
        final = bool(event.get("final", True))
        for counters in self._counters(symbol):
            if status is not None:
                counters.count(AckStatus(ack) if ack else None, status, final=final)
        number = event.get("order_no")
        if isinstance(number, int):
            self.restored.last_order_number = max(self.restored.last_order_number, number)
        if final:
            self._open.pop(str(event.get("client_order_id")), None)

    def _state(self, event: Mapping[str, Any], ts: datetime) -> None:
        if event.get("from") == "warmup":
            return
        until = event.get("until")
        self.restored.state = (
            TradingState(event["to"]),
            str(event.get("reason") or ""),
            _time(until) if until else None,
        )

    @property
    def unresolved(self) -> list[UnresolvedOrder]:
        return list(self._open.values())


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _fill_of(event: Mapping[str, Any]) -> Fill:
    charged = None
    if event.get("fee_asset"):
        rate = event.get("fee_rate")
        charged = ChargedFee(
            asset=event["fee_asset"],
            amount=Decimal(event["fee_amount"]),
            rate=Decimal(rate) if rate is not None else None,
        )
    return Fill(
        order_id=str(event["order_id"]),
        trade_id=str(event["trade_id"]),
        symbol=Symbol.parse(event["symbol"]),
        side=OrderSide(event["side"]),
        quantity=Decimal(event["quantity"]),
        price=Decimal(event["price"]),
        fee=Decimal(event["fee"]),
        fee_currency=str(event["fee_currency"]),
        time=_time(event["fill_time"]),
        simulated=bool(event.get("simulated")),
        charged=charged,
    )


def _request_of(event: Mapping[str, Any]) -> OrderRequest:
    limit = event.get("limit_price")
    return OrderRequest(
        symbol=Symbol.parse(event["symbol"]),
        side=OrderSide(event["side"]),
        quantity=Decimal(event["quantity"]),
        order_type=OrderType(event.get("order_type") or "market"),
        limit_price=Decimal(limit) if limit is not None else None,
        client_order_id=str(event["client_order_id"]),
    )


def _agree(event: Mapping[str, Any], key: str, rebuilt: Decimal) -> None:
    recorded = event.get(key)
    if recorded is not None and Decimal(recorded) != rebuilt:
        raise ResumeMismatchError(
            f"seq {event.get('seq')}: the run log records {key} {recorded}, the ledger rebuilt "
            f"from it has {format_decimal(rebuilt)}; the run log was changed or is not whole"
        )
