"""RunDigest: what the monitor and dashboard show, folded incrementally from events.jsonl.

It reads only the run-log contract (design.md section 6): `seq`, `ts`, `type` and the payload
fields the session writes (`equity`/`equity_after`, `position`/`position_after`, order results
keyed by `client_order_id`, candle times). Unknown event types and fields are ignored, so a
newer session never breaks an older monitor. Series are thinned to a bounded number of points
(every k-th point, k doubling), so memory stays flat for long runs.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

MAX_POINTS = 1500
MAX_ORDERS = 2000
_EQUITY_KEYS = ("equity", "equity_after")
_POSITION_KEYS = ("position", "position_after")
_CANDLE_TIME_KEYS = ("open_time", "candle_time", "time")


def as_decimal(value: object) -> Decimal | None:
    """A Decimal from a JSON string or number; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int | str):
        try:
            result = Decimal(value)
        except (InvalidOperation, ValueError):
            return None
        return result if result.is_finite() else None
    return None


@attrs.define
class Series:
    """A time series thinned to at most `limit` points; the latest point is always kept."""

    limit: int = MAX_POINTS
    points: list[tuple[str, Decimal]] = attrs.field(factory=list)
    stride: int = 1
    seen: int = 0
    last: tuple[str, Decimal] | None = None

    def add(self, ts: str, value: Decimal) -> None:
        self.last = (ts, value)
        if self.seen % self.stride == 0:
            self.points.append((ts, value))
            if len(self.points) > self.limit:
                self.points = self.points[::2]
                self.stride *= 2
        self.seen += 1

    def snapshot(self) -> list[tuple[str, Decimal]]:
        """The kept points plus the latest one."""
        if self.last is not None and (not self.points or self.points[-1] != self.last):
            return [*self.points, self.last]
        return list(self.points)


@attrs.define
class RunDigest:
    """Running totals and series of one run's events; feed it events in seq order."""

    offset: int = 0  # byte offset in events.jsonl up to which events were folded
    events: int = 0
    last_seq: int = 0
    first_ts: str | None = None
    last_ts: str | None = None
    last_type: str | None = None
    counts: Counter[str] = attrs.field(factory=Counter)
    equity: Series = attrs.field(factory=Series)
    peak_equity: Decimal | None = None  # over every equity point, not only the kept ones
    max_drawdown_pct: Decimal = Decimal(0)
    position: Series = attrs.field(factory=Series)
    orders: OrderedDict[str, dict[str, Any]] = attrs.field(factory=OrderedDict)
    order_outcomes: Counter[str] = attrs.field(factory=Counter)
    simulated_fills: int = 0
    real_fills: int = 0
    last_candle_time: str | None = None
    last_candle_close: Decimal | None = None
    trading_state: str | None = None
    halt_reason: str = ""
    last_error: str = ""
    started: dict[str, Any] | None = None
    ended: dict[str, Any] | None = None
    latest: dict[str, Any] = attrs.field(factory=dict)  # latest value of each heartbeat field

    def feed(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Fold events (dicts from events.jsonl) into the digest."""
        for event in events:
            self._fold(event)

    def _fold(self, event: Mapping[str, Any]) -> None:
        kind = str(event.get("type", ""))
        ts = event.get("ts") if isinstance(event.get("ts"), str) else None
        seq = event.get("seq")
        if isinstance(seq, int):
            self.last_seq = max(self.last_seq, seq)
        self.events += 1
        self.counts[kind] += 1
        self.last_type = kind
        if ts is not None:
            self.first_ts = self.first_ts or ts
            self.last_ts = ts
            self._series(event, ts)
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, event)

    def _series(self, event: Mapping[str, Any], ts: str) -> None:
        for key in _EQUITY_KEYS:
            value = as_decimal(event.get(key))
            if value is not None:
                self._add_equity(ts, value)
                break
        for key in _POSITION_KEYS:
            value = _position_value(event.get(key))
            if value is not None:
                self.position.add(ts, value)
                break

    def _add_equity(self, ts: str, value: Decimal) -> None:
        self.equity.add(ts, value)
        if self.peak_equity is None or value > self.peak_equity:
            self.peak_equity = value
        if self.peak_equity > 0:
            drawdown = (self.peak_equity - value) / self.peak_equity * 100
            self.max_drawdown_pct = max(self.max_drawdown_pct, drawdown)

    def _on_candle(self, event: Mapping[str, Any]) -> None:
        for key in _CANDLE_TIME_KEYS:
            if isinstance(event.get(key), str):
                self.last_candle_time = event[key]
                break
        close = as_decimal(event.get("close"))
        if close is not None:
            self.last_candle_close = close

    def _on_order_result(self, event: Mapping[str, Any]) -> None:
        key = str(event.get("client_order_id") or event.get("order_id") or f"seq-{self.last_seq}")
        previous = self.orders.pop(key, None)
        if previous is not None and previous.get("status"):
            self.order_outcomes[str(previous["status"])] -= 1
        row = {**(previous or {}), **{k: v for k, v in event.items() if k != "type"}}
        self.orders[key] = row
        self.order_outcomes[str(row.get("status") or "unknown")] += 1
        while len(self.orders) > MAX_ORDERS:
            self.orders.popitem(last=False)

    def _on_fill(self, event: Mapping[str, Any]) -> None:
        if event.get("type") == "simulated_fill" or event.get("simulated") is True:
            self.simulated_fills += 1
        else:
            self.real_fills += 1

    def _on_state(self, event: Mapping[str, Any]) -> None:
        state = event.get("state") or event.get("trading_state") or event.get("to")
        if isinstance(state, str):
            self.trading_state = state.lower()
        reason = event.get("reason")
        halted = self.trading_state == "halted"
        self.halt_reason = str(reason) if reason and halted else ""

    def _on_heartbeat(self, event: Mapping[str, Any]) -> None:
        self.latest.update({k: v for k, v in event.items() if k not in ("seq", "type")})
        state = event.get("trading_state")
        if isinstance(state, str):
            self.trading_state = state.lower()

    def _on_error(self, event: Mapping[str, Any]) -> None:
        self.last_error = str(event.get("message") or event.get("error") or "")

    def _on_started(self, event: Mapping[str, Any]) -> None:
        self.started = dict(event)
        start = as_decimal(event.get("start_equity"))
        if start is not None and isinstance(event.get("ts"), str):
            self._add_equity(str(event["ts"]), start)  # the equity curve starts at the start

    def _on_ended(self, event: Mapping[str, Any]) -> None:
        self.ended = dict(event)


def _position_value(value: object) -> Decimal | None:
    """A position as one number: a quantity, or the sum of a {symbol: quantity} mapping."""
    if isinstance(value, Mapping):
        parts = [_position_value(v) for v in value.values()]
        numbers = [p for p in parts if p is not None]
        return sum(numbers, Decimal(0)) if numbers or not value else None
    return as_decimal(value)


_HANDLERS = {
    "candle": RunDigest._on_candle,
    "order_result": RunDigest._on_order_result,
    "fill": RunDigest._on_fill,
    "simulated_fill": RunDigest._on_fill,
    "state_changed": RunDigest._on_state,
    "heartbeat": RunDigest._on_heartbeat,
    "error": RunDigest._on_error,
    "session_started": RunDigest._on_started,
    "session_ended": RunDigest._on_ended,
}
