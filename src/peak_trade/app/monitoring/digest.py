"""RunDigest: everything the viewers show about one run, folded incrementally from events.jsonl.

It reads only the run-log contract (docs/run-log.md, format versions 1 and 2): `seq`, `ts`,
`type` and the payload fields the session writes. Unknown event types and fields are ignored,
so a newer session never breaks an older viewer. Lists (orders, fills) are complete; price,
equity and position series are kept at full resolution in compact arrays; where each event
starts in the file is indexed by seq.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.monitoring.fill_log import FillLog
from peak_trade.app.monitoring.lives import Lives
from peak_trade.app.monitoring.numbers import (
    as_decimal,
    as_float,
    decimals_of,
    epoch_seconds,
)
from peak_trade.app.monitoring.order_book import OrderBook
from peak_trade.app.monitoring.samples import Samples
from peak_trade.app.monitoring.seq_index import SeqIndex
from peak_trade.app.monitoring.symbol_track import SymbolTrack
from peak_trade.domain.symbols import Timeframe

_HUNDRED = Decimal(100)


@attrs.define
class RunDigest:
    """Running totals, complete lists and series of one run; feed it events in seq order."""

    default_symbol: str | None = None  # for version-1 events that name no symbol
    timeframe_seconds: int | None = None
    offset: int = 0  # byte offset in events.jsonl up to which events were folded
    index: SeqIndex = attrs.field(factory=SeqIndex)
    events: int = 0
    last_seq: int = 0
    first_ts: str | None = None
    last_ts: str | None = None
    last_type: str | None = None
    counts: Counter[str] = attrs.field(factory=Counter)
    symbols: dict[str, SymbolTrack] = attrs.field(factory=dict)
    equity: Samples = attrs.field(factory=Samples)
    equity_exact: list[Decimal] = attrs.field(factory=list)  # parallel to equity.times
    drawdown: Samples = attrs.field(factory=Samples)  # percent below the running peak (<= 0)
    start_equity: Decimal | None = None
    peak_equity: Decimal | None = None  # over every equity sample
    max_drawdown_pct: Decimal = Decimal(0)
    orders: OrderBook = attrs.field(factory=OrderBook)
    fills: FillLog = attrs.field(factory=FillLog)
    lives: Lives = attrs.field(factory=Lives)
    trading_state: str | None = None
    state_reason: str = ""
    state_since: str | None = None
    state_until: str | None = None
    halt_reason: str = ""
    errors_by_kind: Counter[str] = attrs.field(factory=Counter)
    last_error: str = ""
    failure: dict[str, Any] | None = None  # the fatal `error` event of a failed session
    started: dict[str, Any] | None = None
    ended: dict[str, Any] | None = None  # the current life's session_ended
    latest: dict[str, Any] = attrs.field(factory=dict)  # latest value of each heartbeat field
    alert_levels: Counter[str] = attrs.field(factory=Counter)

    def feed(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Fold events (dicts from events.jsonl) into the digest."""
        for event in events:
            self.fold(event)

    def fold(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        kind = kind if isinstance(kind, str) else ""
        ts = event.get("ts")
        ts = ts if isinstance(ts, str) else None
        seq = event.get("seq")
        if isinstance(seq, int) and seq > self.last_seq:
            self.last_seq = seq
        self.events += 1
        self.counts[kind] += 1
        self.last_type = kind
        if ts is not None:
            if self.first_ts is None:
                self.first_ts = ts
            self.last_ts = ts
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, event, ts)

    def track(self, symbol: object) -> SymbolTrack | None:
        name = symbol if isinstance(symbol, str) and symbol else self.default_symbol
        if name is None:
            return None
        track = self.symbols.get(name)
        if track is None:
            track = self.symbols[name] = SymbolTrack(name)
        return track

    def add_equity(self, ts: str | None, raw: object) -> None:
        value = as_decimal(raw)
        time = epoch_seconds(ts)
        if value is None or time is None:
            return
        if self.equity.times and time <= self.equity.times[-1]:
            self.equity_exact[-1] = value
        else:
            self.equity_exact.append(value)
        self.equity.add(time, float(value))
        if self.peak_equity is None or value > self.peak_equity:
            self.peak_equity = value
        peak = self.peak_equity
        drawdown = (peak - value) / peak * _HUNDRED if peak > 0 else Decimal(0)
        if drawdown > self.max_drawdown_pct:
            self.max_drawdown_pct = drawdown
        self.drawdown.add(time, -float(drawdown))

    # --- handlers -------------------------------------------------------------------------

    def _on_started(self, event: Mapping[str, Any], ts: str | None) -> None:
        if self.started is None:
            self.started = dict(event)
        self.lives.started(event)
        self._learn_market(event)
        start = as_decimal(event.get("start_equity"))
        if start is not None:
            self.start_equity = self.start_equity or start
            self.add_equity(ts, start)  # the equity curve starts at the start

    def _learn_market(self, event: Mapping[str, Any]) -> None:
        symbols = event.get("symbols")
        names = [s for s in symbols if isinstance(s, str)] if isinstance(symbols, list) else []
        if not names and isinstance(event.get("symbol"), str):
            names = [event["symbol"]]
        for name in names:
            self.track(name)
        if self.default_symbol is None and names:
            self.default_symbol = names[0]
        if self.timeframe_seconds is None:
            self.timeframe_seconds = timeframe_seconds(event.get("timeframe"))

    def _on_resumed(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.lives.resumed(event)
        self.ended = None
        self.add_equity(ts, event.get("equity"))
        positions = event.get("positions")
        if isinstance(positions, Mapping):
            time = epoch_seconds(ts)
            for symbol, quantity in positions.items():
                track = self.track(symbol)
                if track is not None:
                    track.set_position(time, _quantity(quantity))

    def _on_candle(self, event: Mapping[str, Any], ts: str | None) -> None:
        track = self.track(event.get("symbol"))
        close_text = event.get("close")
        close = as_float(close_text)
        opened = event.get("open_time")
        time = epoch_seconds(opened)
        if track is None or close is None or time is None:
            return
        open_ = as_float(event.get("open"))
        high = as_float(event.get("high"))
        low = as_float(event.get("low"))
        bar = (
            time,
            close if open_ is None else open_,
            close if high is None else high,
            close if low is None else low,
            close,
            as_float(event.get("volume")) or 0.0,
        )
        track.candles.add(bar, self.timeframe_seconds or 0)
        track.candles.note_decimals(decimals_of(close_text))
        track.candle_time = opened if isinstance(opened, str) else track.candle_time
        track.mark_text = str(close_text)

    def _on_heartbeat(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.latest.update(event)
        self.add_equity(ts, event.get("equity"))
        time = epoch_seconds(ts)
        positions = event.get("positions")
        if isinstance(positions, Mapping):
            for symbol, quantity in positions.items():
                track = self.symbols.get(symbol) or self.track(symbol)
                if track is not None:
                    track.set_position(time, quantity)
        elif "position" in event:
            track = self.track(None)
            if track is not None:
                track.set_position(time, _quantity(event.get("position")))
        marks = event.get("marks")
        if isinstance(marks, Mapping):
            for symbol, price in marks.items():
                track = self.symbols.get(symbol) or self.track(symbol)
                if track is not None and isinstance(price, str):
                    track.mark_text = price
        bars = event.get("bars")
        if isinstance(bars, Mapping):
            for symbol, bar in bars.items():
                if isinstance(bar, Mapping):
                    self._heartbeat_bar(symbol, bar)
                elif isinstance(bar, list):  # several bars since the last heartbeat, in order
                    for item in bar:
                        if isinstance(item, Mapping):
                            self._heartbeat_bar(symbol, item)
        candle_time = event.get("last_candle_time")
        if isinstance(candle_time, str) and not isinstance(bars, Mapping):
            track = self.track(None)
            if track is not None and not len(track.candles):
                track.candle_time = candle_time
        state = event.get("trading_state")
        if isinstance(state, str) and state:
            self._set_state(state.lower(), ts, None)

    def _heartbeat_bar(self, symbol: str, bar: Mapping[str, Any]) -> None:
        track = self.symbols.get(symbol) or self.track(symbol)
        candles = bar.get("candles")
        if track is None or (isinstance(candles, int) and candles <= 0):
            return
        close_text = bar.get("close")
        close = as_float(close_text)
        opened = epoch_seconds(bar.get("open_time"))
        if close is None or opened is None:
            return
        frame = self.timeframe_seconds or 0
        if isinstance(candles, int) and frame:
            span = candles * frame
            last = opened + (candles - 1) * frame  # the range's last candle
        else:
            closed = epoch_seconds(bar.get("close_time"))
            span = closed - opened if closed is not None and closed > opened else frame
            last = closed - frame if closed is not None and closed - frame >= opened else opened
        open_ = as_float(bar.get("open"))
        high = as_float(bar.get("high"))
        low = as_float(bar.get("low"))
        # Stored at its last candle's time: the bar closes with the heartbeat that wrote it,
        # so it shares a chart bucket with that heartbeat's equity and position.
        bars = track.heartbeat_bars
        bars.add(
            (
                last,
                close if open_ is None else open_,
                close if high is None else high,
                close if low is None else low,
                close,
                as_float(bar.get("volume")) or 0.0,
            ),
            span,
        )
        bars.note_decimals(decimals_of(close_text))
        if not len(track.candles):
            track.bar_candle_epoch = last
            if track.mark_text is None:
                track.mark_text = str(close_text)

    def _on_fill(self, event: Mapping[str, Any], ts: str | None) -> None:
        row = self.fills.add(event, self.default_symbol)
        when = event.get("fill_time") if isinstance(event.get("fill_time"), str) else ts
        track = self.track(row.get("symbol"))
        if track is not None and "position_after" in event:
            track.set_position(epoch_seconds(when), _quantity(event.get("position_after")))
        self.add_equity(ts, event.get("equity_after"))

    def _on_signal(self, event: Mapping[str, Any], ts: str | None) -> None:
        track = self.track(event.get("symbol"))
        if track is not None:
            track.signals += 1

    def _on_intent(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.orders.on_intent(event)

    def _on_result(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.orders.on_result(event)

    def _on_risk(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.orders.on_risk_decision(event)

    def _on_state(self, event: Mapping[str, Any], ts: str | None) -> None:
        state = event.get("to") or event.get("state") or event.get("trading_state")
        if not isinstance(state, str):
            return
        reason = event.get("reason")
        until = event.get("until")
        self._set_state(state.lower(), ts, str(reason) if reason else "")
        self.state_until = until if isinstance(until, str) and until else None

    def _set_state(self, state: str, ts: str | None, reason: str | None) -> None:
        if state != self.trading_state:
            self.state_since = ts
            self.trading_state = state
            if reason is None:
                self.state_reason = ""
                self.state_until = None
        if reason is not None:
            self.state_reason = reason
        if state == "halted":
            self.halt_reason = self.state_reason or self.halt_reason
        elif state == "active":
            self.halt_reason = ""

    def _on_error(self, event: Mapping[str, Any], ts: str | None) -> None:
        name = str(event.get("error") or "")
        message = str(event.get("message") or "")
        text = f"{name}: {message}" if name and message else name or message
        self.last_error = text
        if event.get("fatal") is True:
            self.failure = {"error": name, "message": message, "ts": ts, "text": text}
            return
        kind = event.get("kind")
        self.errors_by_kind[kind if isinstance(kind, str) and kind else "exchange"] += 1

    def _on_alert(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.alert_levels[str(event.get("level") or "info")] += 1

    def _on_ended(self, event: Mapping[str, Any], ts: str | None) -> None:
        self.ended = dict(event)
        self.lives.ended(event)


def timeframe_seconds(label: object) -> int | None:
    """Seconds of a timeframe label (`1m` -> 60); None when it is not one."""
    try:
        return Timeframe.parse(str(label)).seconds
    except ValueError:
        return None


def _quantity(value: object) -> object:
    """A position as one number: a quantity, or the sum of a {symbol: quantity} mapping."""
    if isinstance(value, Mapping):
        numbers = [as_decimal(v) for v in value.values()]
        return str(sum((n for n in numbers if n is not None), Decimal(0)))
    return value


_HANDLERS = {
    "session_started": RunDigest._on_started,
    "session_resumed": RunDigest._on_resumed,
    "candle": RunDigest._on_candle,
    "heartbeat": RunDigest._on_heartbeat,
    "fill": RunDigest._on_fill,
    "simulated_fill": RunDigest._on_fill,
    "signal": RunDigest._on_signal,
    "order_intent": RunDigest._on_intent,
    "order_result": RunDigest._on_result,
    "risk_decision": RunDigest._on_risk,
    "state_changed": RunDigest._on_state,
    "error": RunDigest._on_error,
    "alert": RunDigest._on_alert,
    "session_ended": RunDigest._on_ended,
}
