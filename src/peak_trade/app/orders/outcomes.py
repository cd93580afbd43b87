"""VenueOutcomes: books what the venue answered to a sent order into the ledger and the run log.

VALIDATED: a simulated fill at the reference price +- slippage, with the fee rate (its
`order_result` and `simulated_fill` share one fsync). REJECTED: the reason code. ACCEPTED:
followed (status and fills) to a terminal state or the follow timeout. UNKNOWN answers are the
resolver's (never resent); `follow` serves it too once it finds such an order.
"""

from __future__ import annotations

from decimal import Decimal

from peak_trade.app.orders.follow import follow_order
from peak_trade.app.orders.recorder import OrderRecorder
from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    OrderAck,
    OrderExecutionResult,
    OrderRequest,
)
from peak_trade.domain.paper_fill import simulated_fill
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.exchange import ExchangePort


class VenueOutcomes:
    """Turns acknowledgements into results, fills and `order_result` events."""

    def __init__(
        self,
        *,
        exchange: ExchangePort,
        clock: ClockPort,
        recorder: OrderRecorder,
        pause: VenuePause,
        fee_rate: Decimal,
        slippage_bps: Decimal,
        follow_timeout_seconds: float,
        follow_poll_seconds: float,
    ) -> None:
        self._exchange = exchange
        self._clock = clock
        self._recorder = recorder
        self._pause = pause
        self._fee_rate = fee_rate
        self._slippage_bps = slippage_bps
        self._follow_timeout = follow_timeout_seconds
        self._follow_poll = follow_poll_seconds

    def book(
        self, order: OrderRequest, reference: Decimal, ack: OrderAck
    ) -> OrderExecutionResult | None:
        """The outcome of a VALIDATED, REJECTED or ACCEPTED answer; None for UNKNOWN."""
        if ack.status is AckStatus.VALIDATED:
            fill = simulated_fill(
                order,
                reference,
                slippage_bps=self._slippage_bps,
                fee_rate=self._fee_rate,
                now=self._clock.now(),
            )
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.VALIDATED,
                message=ack.message or "validated by the venue; booked as a simulated fill",
                order_id=ack.order_id,
                fills=(fill,),
            )
            # Group commit: the `simulated_fill` right after is fsynced and covers this result.
            self._recorder.record(result, reference, ack.status, durable=False)
            self._recorder.book(fill)
            return result
        if ack.status is AckStatus.REJECTED:
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.REJECTED,
                reason=ack.reason,
                message=ack.message,
                order_id=ack.order_id,
            )
            self._recorder.record(result, reference, ack.status)
            return result
        if ack.status is AckStatus.ACCEPTED:
            assert ack.order_id is not None  # OrderAck guarantees it
            opened = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.OPEN,
                message=ack.message,
                order_id=ack.order_id,
            )
            self._recorder.record(opened, reference, ack.status, final=False)
            return self.follow(order, reference, ack.order_id)
        return None

    def follow(
        self,
        order: OrderRequest,
        reference: Decimal | None,
        order_id: str,
        booked_trade_ids: frozenset[str] = frozenset(),
    ) -> OrderExecutionResult:
        """Follow a live order to its final state, booking each fill once (none of
        `booked_trade_ids`, booked by an earlier life of the run); record the result."""
        outcome = follow_order(
            self._exchange,
            self._clock,
            order.symbol,
            order_id,
            timeout_seconds=self._follow_timeout,
            poll_seconds=self._follow_poll,
            on_fill=self._recorder.book,
            pause=self._pause,
            booked_trade_ids=booked_trade_ids,
        )
        result = OrderExecutionResult(
            request=order,
            status=outcome.status,
            message=outcome.message,
            order_id=order_id,
            fills=outcome.fills,
        )
        self._recorder.record(result, reference, None)
        return result
