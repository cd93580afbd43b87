"""Hand-written fakes for the executor and session tests: a spy exchange and a memory run log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from peak_trade.domain.environment import Venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import CandleBatch, Ticker
from peak_trade.domain.orders import (
    AckStatus,
    Fill,
    OrderAck,
    OrderRequest,
    OrderState,
    OrderStatus,
)
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import OrderNotFoundError
from peak_trade.ports.events import DURABLE_EVENT_TYPES, EventType

BTC_EUR = Symbol.parse("BTC/EUR")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def btc_rules(**changes: Any) -> InstrumentRules:
    """Kraken-like BTC/EUR rules."""
    values: dict[str, Any] = {
        "symbol": BTC_EUR,
        "venue_symbol": "XXBTZEUR",
        "price_tick": Decimal("0.1"),
        "lot_step": Decimal("0.00000001"),
        "min_quantity": Decimal("0.0001"),
        "min_cost": Decimal("0.5"),
    }
    values.update(changes)
    return InstrumentRules(**values)


class SpyExchange:
    """ExchangePort that records every call and answers from scripts set by the test."""

    def __init__(
        self,
        *,
        venue: Venue | None = None,
        bid: Decimal = Decimal("50000"),
        ask: Decimal = Decimal("50010"),
        rules: InstrumentRules | None = None,
    ) -> None:
        self.venue_value = venue or Venue(
            name="spy", production=False, validate_only=True, host="127.0.0.1"
        )
        self.bid = bid
        self.ask = ask
        self.rules = rules or btc_rules()
        self.submitted: list[OrderRequest] = []
        self.acks: list[OrderAck | Exception] = []
        self.states: dict[str, list[OrderState]] = {}
        self.fill_script: dict[str, list[tuple[Fill, ...]]] = {}
        self.found: list[OrderState | Exception | None] = []
        self.find_calls: list[str] = []
        self.find_times: list[float] = []  # clock.monotonic() of each find_order, with a clock
        self.clock: ClockPort | None = None
        self.cancelled: list[str] = []
        self.last_state: dict[str, OrderState] = {}
        self.ticker_error: Exception | None = None
        self.calls: list[str] = []

    @property
    def venue(self) -> Venue:
        return self.venue_value

    @property
    def timeframes(self) -> tuple[Timeframe, ...]:
        return (Timeframe.M1,)

    def instrument(self, symbol: Symbol) -> InstrumentRules:
        self.calls.append("instrument")
        return self.rules

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch:
        self.calls.append("candles")
        return CandleBatch()

    def ticker(self, symbol: Symbol) -> Ticker:
        self.calls.append("ticker")
        if self.ticker_error is not None:
            raise self.ticker_error
        return Ticker(symbol=symbol, bid=self.bid, ask=self.ask, last=self.bid, time=T0)

    def submit_order(self, order: OrderRequest) -> OrderAck:
        self.calls.append("submit_order")
        self.submitted.append(order)
        answer = (
            self.acks.pop(0)
            if self.acks
            else OrderAck(status=AckStatus.VALIDATED, client_order_id=order.client_order_id)
        )
        if isinstance(answer, Exception):
            raise answer
        return answer

    def order_status(self, symbol: Symbol, order_id: str) -> OrderState:
        self.calls.append("order_status")
        script = self.states.get(order_id)
        if not script:
            raise OrderNotFoundError(order_id)
        state = script.pop(0) if len(script) > 1 else script[0]
        self.last_state[order_id] = state
        return state

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None:
        self.calls.append("find_order")
        self.find_calls.append(client_order_id)
        if self.clock is not None:
            self.find_times.append(self.clock.monotonic())
        answer = self.found.pop(0) if self.found else None
        if isinstance(answer, Exception):
            raise answer
        return answer

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]:
        self.calls.append("fills")
        script = self.fill_script.get(order_id, [()])
        return script.pop(0) if len(script) > 1 else script[0]

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState:
        self.calls.append("cancel_order")
        self.cancelled.append(order_id)
        return self.last_state[order_id].transition(OrderStatus.CANCELLED)

    def balances(self) -> Mapping[str, Decimal]:
        return {"EUR": Decimal(10000)}

    def close(self) -> None:
        self.calls.append("close")


class MemoryRunLog:
    """EventLogPort + write_meta keeping everything in memory."""

    def __init__(self, run_id: str = "test-run") -> None:
        self._run_id = run_id
        self.events: list[dict[str, Any]] = []
        self.durable: list[bool] = []  # per event: fsynced at once (covering earlier lines)?
        self.summaries: list[dict[str, Any]] = []
        self.meta: dict[str, Any] | None = None
        self.closed = False
        self.syncs = 0
        self.on_append: Callable[[str], None] | None = None

    @property
    def run_id(self) -> str:
        return self._run_id

    def write_meta(self, meta: Mapping[str, Any]) -> None:
        self.meta = dict(meta)

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        if self.closed:
            raise RuntimeError("append after close")
        if self.on_append is not None:
            self.on_append(event_type.value)
        self.events.append({"seq": len(self.events) + 1, "type": event_type.value, **payload})
        self.durable.append(event_type in DURABLE_EVENT_TYPES if durable is None else durable)
        return len(self.events)

    def sync(self) -> None:
        self.syncs += 1

    def write_summary(self, summary: Mapping[str, Any]) -> None:
        self.summaries.append(dict(summary))

    def close(self) -> None:
        self.closed = True

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == event_type]
