"""Write run logs in the docs/run-log.md formats for monitor, dashboard and report tests.

Independent of the session's writer on purpose: tests can produce exactly the shapes a real run
leaves behind, including a crashed run (no summary, a half-written last line). `seed_run` is a
format-1 run (one symbol, a `candle` event per candle); `V2Run` writes format 2 (several
symbols, heartbeat `bars` in replays, `candle` events in live runs, lives, intents with
reasons) with a small ledger so equity, positions and fees add up; `seed_*` functions build the
runs the tests share, `write_large_run` the benchmark's year-long replay.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class FakeRun:
    """One run directory written line by line, like a session would."""

    def __init__(self, base_dir: Path, run_id: str) -> None:
        self.run_id = run_id
        self.dir = base_dir / run_id
        self.dir.mkdir(parents=True)
        self.seq = 0

    def meta(self, **overrides: Any) -> None:
        meta = {
            "run_id": self.run_id,
            "started_at": iso(T0),
            "environment": "testnet",
            "exchange": "in_memory",
            "venue": {
                "name": "in_memory",
                "host": "in-memory",
                "production": False,
                "validate_only": True,
            },
            "symbol": "BTC/EUR",
            "timeframe": "1m",
            "strategy": {"name": "ma_crossover", "params": {"fast_window": 5, "slow_window": 20}},
            "session": {"poll_interval_seconds": "60", "start_balance": "10000"},
            "package_version": "0.35.0",
            "config_sha256": "ab" * 32,
        }
        meta.update(overrides)
        (self.dir / "meta.json").write_text(json.dumps(meta, indent=2))

    def event(self, kind: str, ts: datetime, /, **payload: Any) -> int:
        self.seq += 1
        record = {"seq": self.seq, "ts": iso(ts), "type": kind, **payload}
        with (self.dir / "events.jsonl").open("a") as handle:
            handle.write(json.dumps(record) + "\n")
        return self.seq

    def partial_line(self, text: str = '{"seq": 999, "ts": "2026-01-05T12:') -> None:
        """A half-written last line, as a SIGKILL in the middle of a write leaves it."""
        with (self.dir / "events.jsonl").open("a") as handle:
            handle.write(text)

    def alert(self, ts: datetime, level: str, rule: str, message: str, **context: Any) -> None:
        record = {
            "ts": iso(ts),
            "level": level,
            "rule": rule,
            "message": message,
            "context": context,
        }
        with (self.dir / "alerts.jsonl").open("a") as handle:
            handle.write(json.dumps(record) + "\n")
        self.event("alert", ts, level=level, rule=rule, message=message, context=context)

    def summary(self, **fields: Any) -> None:
        (self.dir / "summary.json").write_text(
            json.dumps({"run_id": self.run_id, **fields}, indent=2)
        )

    def touch(self, moment: datetime) -> None:
        """Set every file's modification time (how the monitor tells live from crashed)."""
        stamp = moment.timestamp()
        for path in self.dir.iterdir():
            os.utime(path, (stamp, stamp))


def order_result(cid: str, status: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "client_order_id": cid,
        "order_id": f"sim-{cid}",
        "symbol": "BTC/EUR",
        "side": "buy",
        "order_type": "market",
        "quantity": "0.01",
        "reference_price": "50000",
        "status": status,
        "reason": None,
        "message": "",
        "simulated": status == "validated",
    }
    base.update(fields)
    return base


def seed_run(
    base_dir: Path,
    run_id: str = "20260105T120000Z-a1b2c3",
    *,
    finished: bool = True,
    equities: tuple[str, ...] = ("10000", "10100", "10250", "9800", "9900", "10050"),
    extra_summary: Mapping[str, Any] | None = None,
) -> FakeRun:
    """A typical run: candles, a validated order with a simulated fill, a risk-blocked order,
    a venue rejection, heartbeats with equity, two alerts and (if finished) a final summary."""
    run = FakeRun(base_dir, run_id)
    run.meta()
    run.event("session_started", T0, run_id=run_id, start_equity="10000")
    for i, equity in enumerate(equities):
        t = T0 + timedelta(minutes=i + 1)
        run.event("candle", t, open_time=iso(t - timedelta(minutes=1)), close=str(50000 + 10 * i))
        if i == 1:
            run.event("order_intent", t, client_order_id="cid-1", side="buy", quantity="0.01")
            run.event("order_result", t, **order_result("cid-1", "validated"))
            run.event(
                "simulated_fill",
                t,
                order_id="sim-cid-1",
                quantity="0.01",
                price="50010",
                fee="1.3",
                simulated=True,
                position_after="0.01",
                equity_after=equity,
            )
        if i == 2:
            run.event(
                "order_result",
                t,
                **order_result(
                    "cid-2",
                    "risk_blocked",
                    reason="risk_limit",
                    message="max_order_notional breached",
                    simulated=False,
                ),
            )
        if i == 3:
            run.event("order_intent", t, client_order_id="cid-3", side="sell", quantity="0.01")
            run.event(
                "order_result",
                t,
                **order_result(
                    "cid-3",
                    "rejected",
                    side="sell",
                    reason="cost_minimum_not_met",
                    message="cost below minimum",
                    simulated=False,
                ),
            )
        run.event(
            "heartbeat",
            t,
            step=i + 1,
            equity=equity,
            position="0.01" if i >= 1 else "0",
            realized_pnl="0",
            unrealized_pnl=str(int(equity) - 10000),
            trading_state="active",
        )
    t_alert = T0 + timedelta(minutes=3)
    run.alert(
        t_alert,
        "warning",
        "risk_blocked",
        "order blocked by a risk limit: max_order_notional <script>x</script>",
        blocked_total=1,
    )
    run.alert(
        t_alert + timedelta(minutes=1),
        "critical",
        "drawdown",
        "drawdown 4.39% from peak equity 10250 reached 4%",
        drawdown_pct="4.39",
    )
    if finished:
        end = T0 + timedelta(minutes=len(equities) + 1)
        run.event("session_ended", end, status="completed")
        run.summary(
            status="completed",
            started_at=iso(T0),
            ended_at=iso(end),
            steps=len(equities),
            candles_processed=len(equities),
            signals=2,
            orders_submitted=2,
            orders_validated=1,
            orders_accepted=0,
            orders_filled=0,
            orders_rejected=1,
            orders_risk_blocked=1,
            orders_unknown=0,
            exchange_errors=0,
            fees_paid="1.3",
            realized_pnl="0",
            unrealized_pnl=str(int(equities[-1]) - 10000),
            start_equity="10000",
            end_equity=equities[-1],
            max_drawdown_pct="4.39",
            positions={"BTC/EUR": "0.01"},
            simulated_fills=True,
            **(extra_summary or {}),
        )
    return run


# --- format version 2 ------------------------------------------------------------------------

FEE_RATE = Decimal("0.0026")
START_PRICES = {"BTC/EUR": 60000.0, "ETH/EUR": 3000.0, "SOL/EUR": 150.0}
TICKS = {"BTC/EUR": 1, "ETH/EUR": 2, "SOL/EUR": 3}  # price decimals


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class PriceWalk:
    """Seeded random-walk candles per symbol, prices at the symbol's tick."""

    def __init__(self, symbols: Sequence[str], seed: int = 7) -> None:
        self._rng = random.Random(seed)
        self.last = {s: START_PRICES.get(s, 100.0) for s in symbols}

    def candle(self, symbol: str) -> tuple[str, str, str, str, str]:
        places = TICKS.get(symbol, 2)
        open_ = self.last[symbol]
        close = max(open_ * (1 + self._rng.gauss(0, 0.0012)), 0.01)
        high = max(open_, close) * (1 + abs(self._rng.gauss(0, 0.0005)))
        low = min(open_, close) * (1 - abs(self._rng.gauss(0, 0.0005)))
        self.last[symbol] = close
        volume = abs(self._rng.gauss(5, 2))
        return (
            f"{open_:.{places}f}",
            f"{high:.{places}f}",
            f"{low:.{places}f}",
            f"{close:.{places}f}",
            f"{volume:.8f}",
        )


class V2Run:
    """A format-2 run written event by event, with a paper ledger behind its figures."""

    def __init__(
        self,
        base_dir: Path,
        run_id: str,
        *,
        symbols: Sequence[str] = ("BTC/EUR",),
        live: bool = False,
        heartbeat_every: int = 10,
        start: datetime = T0,
        start_equity: str = "10000",
        seed: int = 7,
        write_last_seq: bool = True,
    ) -> None:
        self.run = FakeRun(base_dir, run_id)
        self.run_id = run_id
        self.symbols = list(symbols)
        self.live = live
        self.heartbeat_every = heartbeat_every
        self.clock = start
        self.walk = PriceWalk(symbols, seed)
        self.start_equity = Decimal(start_equity)
        self.cash = Decimal(start_equity)
        self.positions = {s: Decimal(0) for s in symbols}
        self.average = {s: Decimal(0) for s in symbols}
        self.realized = {s: Decimal(0) for s in symbols}
        self.fees = {s: Decimal(0) for s in symbols}
        self.marks = {s: Decimal(str(START_PRICES.get(s, 100.0))) for s in symbols}
        self.counts = {s: {"submitted": 0, "filled": 0, "fills": 0, "signals": 0} for s in symbols}
        self.pending: dict[str, list[str]] = {}
        self.pending_open: dict[str, datetime] = {}
        self.pending_candles = 0
        self.steps = 0
        self.candles = 0
        self.order_seq = 0
        self.peak = Decimal(start_equity)
        self.max_drawdown = Decimal(0)
        self.blocked = 0
        self.rejected = 0
        self.errors = 0
        self.state = "active"
        self.halt_reason = ""
        self.lives: list[dict[str, Any]] = []
        self.write_last_seq = write_last_seq
        self.last_candle: dict[str, str] = {}

    # the ledger ---------------------------------------------------------------------------
    @property
    def equity(self) -> Decimal:
        return self.cash + sum(self.positions[s] * self.marks[s] for s in self.symbols)

    def _track_drawdown(self) -> None:
        equity = self.equity
        self.peak = max(self.peak, equity)
        if self.peak > 0:
            self.max_drawdown = max(self.max_drawdown, (self.peak - equity) / self.peak * 100)

    # files --------------------------------------------------------------------------------
    def meta(self, **overrides: Any) -> None:
        self.run.meta(
            format_version=2,
            symbol=self.symbols[0],
            symbols=self.symbols,
            base_currency="EUR",
            quote_currencies={s: s.split("/")[1] for s in self.symbols},
            replay=None
            if self.live
            else {s: f"data/{s.replace('/', '_')}.csv" for s in self.symbols},
            clock="system" if self.live else "simulated",
            strategy={
                "name": "ma_crossover",
                "params": {"fast_window": 15, "slow_window": 60},
                "per_symbol": {s: {"fast_window": 15, "slow_window": 60} for s in self.symbols},
            },
            **overrides,
        )

    def event(self, kind: str, /, **payload: Any) -> int:
        return self.run.event(kind, self.clock, **payload)

    def start(self) -> None:
        self.lives.append({"life": 1, "started_at": iso(self.clock), "cause": "start"})
        self.event(
            "session_started",
            symbols=self.symbols,
            symbol=self.symbols[0],
            timeframe="1m",
            strategy="ma_crossover",
            params={"fast_window": 15, "slow_window": 60},
            venue="in_memory",
            validate_only=True,
            start_equity=_plain(self.start_equity),
            base_currency="EUR",
            life=1,
        )
        self.event("state_changed", **{"from": "warmup", "to": "active", "reason": "warmup loaded"})

    def step(self) -> None:
        """One candle per symbol; the clock moves a minute; a heartbeat every N steps."""
        opened = self.clock
        self.clock = opened + timedelta(minutes=1)
        for symbol in self.symbols:
            o, h, low, c, v = self.walk.candle(symbol)
            self.marks[symbol] = Decimal(c)
            self.last_candle[symbol] = iso(opened)
            if self.live:
                self.event(
                    "candle", symbol=symbol, open_time=iso(opened),
                    open=o, high=h, low=low, close=c, volume=v,
                )  # fmt: skip
            bar = self.pending.get(symbol)
            if bar is None:
                self.pending[symbol] = [o, h, low, c, v]
                self.pending_open[symbol] = opened
            else:
                bar[1] = max(bar[1], h, key=float)
                bar[2] = min(bar[2], low, key=float)
                bar[3] = c
                bar[4] = f"{float(bar[4]) + float(v):.8f}"
        self.pending_candles += 1
        self.steps += 1
        self.candles += 1
        self._track_drawdown()
        if self.steps % self.heartbeat_every == 0:
            self.heartbeat()

    def final_heartbeat(self) -> None:
        """The heartbeat a session writes when it stops between two regular ones."""
        if self.pending_candles:
            self.heartbeat()

    def heartbeat(self) -> None:
        bars = {
            s: {
                "open_time": iso(self.pending_open[s]),
                "close_time": iso(self.clock),
                "open": b[0], "high": b[1], "low": b[2], "close": b[3], "volume": b[4],
                "candles": self.pending_candles,
            }
            for s, b in self.pending.items()
        }  # fmt: skip
        self.pending, self.pending_open, self.pending_candles = {}, {}, 0
        equity = self.equity
        unrealized = sum(
            (self.marks[s] - self.average[s]) * self.positions[s] for s in self.symbols
        )
        self.event(
            "heartbeat",
            step=self.steps,
            candles_processed=self.candles,
            equity=_plain(equity),
            position=_plain(self.positions[self.symbols[0]]),
            positions={s: _plain(q) for s, q in self.positions.items()},
            marks={s: _plain(m) for s, m in self.marks.items()},
            cash=_plain(self.cash),
            realized_pnl=_plain(sum(self.realized.values(), Decimal(0))),
            unrealized_pnl=_plain(unrealized),
            fees_paid=_plain(sum(self.fees.values(), Decimal(0))),
            drawdown_pct=_plain((self.peak - equity) / self.peak * 100),
            exchange_errors=self.errors,
            trading_state=self.state,
            last_candle_time=max(self.last_candle.values()) if self.last_candle else None,
            bars=bars,
        )

    def trade(
        self, symbol: str, side: str, quantity: str, *, intent: str = "open", reason: str = "signal"
    ) -> str:
        """A validated order and its simulated fill at the last close (+/- 5 bps slippage)."""
        self.order_seq += 1
        cid = f"{self.run_id[-6:]}-{self.order_seq:06d}"
        qty = Decimal(quantity)
        slip = Decimal("1.0005") if side == "buy" else Decimal("0.9995")
        price = self.marks[symbol] * slip
        fee = qty * price * FEE_RATE
        self.counts[symbol]["signals"] += 1
        self.event("signal", symbol=symbol, strategy="ma_crossover", target=quantity)
        self.event(
            "risk_decision", client_order_id=cid, symbol=symbol, side=side,
            quantity=quantity, allowed=True, reason="", violations=[], metrics={},
        )  # fmt: skip
        self.event(
            "order_intent", client_order_id=cid, symbol=symbol, side=side, order_type="market",
            quantity=quantity, limit_price=None, reference_price=_plain(self.marks[symbol]),
            venue="in_memory", validate_only=True, intent=intent, trigger=reason,
        )  # fmt: skip
        self.event(
            "order_result", **order_result(
                cid, "validated", symbol=symbol, side=side, quantity=quantity,
                order_id=None, ack_status="validated", final=True, reached_exchange=True,
                filled_quantity=quantity, average_price=_plain(price), fees=_plain(fee),
            ),
        )  # fmt: skip
        self._book(symbol, side, qty, price, fee)
        self.counts[symbol]["submitted"] += 1
        self.counts[symbol]["fills"] += 1
        self.event(
            "simulated_fill", order_id=f"sim-{cid}", trade_id=f"sim-{cid}-1", symbol=symbol,
            side=side, quantity=quantity, price=_plain(price), fee=_plain(fee),
            fee_currency=symbol.split("/")[1], fill_time=iso(self.clock), simulated=True,
            position_after=_plain(self.positions[symbol]), cash_after=_plain(self.cash),
            equity_after=_plain(self.equity),
        )  # fmt: skip
        return cid

    def _book(self, symbol: str, side: str, qty: Decimal, price: Decimal, fee: Decimal) -> None:
        held = self.positions[symbol]
        if side == "buy":
            total = held + qty
            self.average[symbol] = (self.average[symbol] * held + price * qty) / total
            self.positions[symbol] = total
            self.cash -= qty * price + fee
        else:
            self.realized[symbol] += (price - self.average[symbol]) * qty
            self.positions[symbol] = held - qty
            self.cash += qty * price - fee
            if self.positions[symbol] == 0:
                self.average[symbol] = Decimal(0)
        self.fees[symbol] += fee
        self._track_drawdown()

    def block(self, symbol: str, side: str, quantity: str, limit: str) -> None:
        """An order refused by a risk limit before it was sent."""
        self.order_seq += 1
        cid = f"{self.run_id[-6:]}-{self.order_seq:06d}"
        self.blocked += 1
        self.event(
            "risk_decision", client_order_id=cid, symbol=symbol, side=side, quantity=quantity,
            allowed=False, reason=f"{limit} breached",
            violations=[{"limit": limit, "observed": "1", "limit_value": "0", "symbol": symbol,
                         "message": f"{limit} breached"}],
            metrics={},
        )  # fmt: skip
        self.event(
            "order_result", **order_result(
                cid, "risk_blocked", symbol=symbol, side=side, quantity=quantity,
                reason="risk_limit", message=f"{limit} breached", reached_exchange=False,
                simulated=False,
            ),
        )  # fmt: skip

    def error(self, message: str, *, kind: str = "market_data", fatal: bool = False) -> None:
        if fatal:
            self.event("error", error="ExchangeAuthError", message=message, fatal=True)
        else:
            self.errors += 1
            self.event(
                "error", error="ExchangeUnavailableError", message=message, kind=kind,
                consecutive=1,
            )  # fmt: skip

    def change_state(self, to: str, reason: str, until: str | None = None) -> None:
        extra = {"until": until} if until else {}
        self.event("state_changed", **{"from": self.state, "to": to, "reason": reason}, **extra)
        self.state = to
        self.halt_reason = reason if to == "halted" else ""

    def alert(self, level: str, rule: str, message: str, **context: Any) -> None:
        self.run.alert(self.clock, level, rule, message, **context)

    def end(self, status: str, reason: str = "") -> None:
        self.event("session_ended", status=status, reason=reason)

    def resume(self, life: int, cause: str, previous_status: str, wall: datetime) -> None:
        self.lives.append({"life": life, "started_at": iso(wall), "cause": cause})
        self.event(
            "session_resumed", life=life, cause=cause, previous_status=previous_status,
            resumed_at=iso(wall), equity=_plain(self.equity),
            positions={s: _plain(q) for s, q in self.positions.items()},
        )  # fmt: skip

    def summary(self, status: str, *, error: str = "", ended: bool = True) -> dict[str, Any]:
        fields = {
            "status": status,
            "started_at": iso(T0),
            "ended_at": iso(self.clock) if ended else None,
            "steps": self.steps,
            "candles_processed": self.candles,
            "signals": sum(c["signals"] for c in self.counts.values()),
            "orders_submitted": sum(c["submitted"] for c in self.counts.values()),
            "orders_validated": sum(c["submitted"] for c in self.counts.values()),
            "orders_accepted": 0,
            "orders_filled": 0,
            "orders_rejected": self.rejected,
            "orders_risk_blocked": self.blocked,
            "orders_unknown": 0,
            "exchange_errors": self.errors,
            "base_currency": "EUR",
            "fees_paid": _plain(sum(self.fees.values(), Decimal(0))),
            "realized_pnl": _plain(sum(self.realized.values(), Decimal(0))),
            "unrealized_pnl": _plain(
                sum((self.marks[s] - self.average[s]) * self.positions[s] for s in self.symbols)
            ),
            "start_equity": _plain(self.start_equity),
            "end_equity": _plain(self.equity),
            "max_drawdown_pct": _plain(self.max_drawdown),
            "positions": {
                s: {
                    "quantity": _plain(q),
                    "average_price": _plain(self.average[s]),
                    "mark_price": _plain(self.marks[s]),
                }
                for s, q in self.positions.items()
                if q
            },
            "symbols": {
                s: {
                    "quote_currency": s.split("/")[1],
                    "orders_submitted": self.counts[s]["submitted"],
                    "orders_filled": 0,
                    "fills": self.counts[s]["fills"],
                    "signals": self.counts[s]["signals"],
                    "position": _plain(self.positions[s]),
                    "average_price": _plain(self.average[s]) if self.positions[s] else None,
                    "mark_price": _plain(self.marks[s]),
                    "realized_pnl": _plain(self.realized[s]),
                    "unrealized_pnl": _plain((self.marks[s] - self.average[s]) * self.positions[s]),
                    "fees_paid": _plain(self.fees[s]),
                    "last_candle_time": self.last_candle.get(s),
                }
                for s in self.symbols
            },
            "simulated_fills": True,
            "trading_state": self.state,
            "halt_reason": self.halt_reason,
            "error": error,
            "lives": self.lives,
        }
        if self.write_last_seq:
            fields["last_seq"] = self.run.seq
        self.run.summary(**fields)
        return fields


def _trade_plan(run: V2Run, steps: int, every: int, quantities: Mapping[str, str]) -> None:
    """Alternate buys and sells per symbol every `every` steps (staggered across symbols)."""
    for i in range(steps):
        run.step()
        for k, symbol in enumerate(run.symbols):
            if (i + 1 + k * 7) % every == 0:
                side = "sell" if run.positions[symbol] > 0 else "buy"
                run.trade(
                    symbol, side, quantities[symbol], intent="close" if side == "sell" else "open"
                )


def seed_replay_run(
    base_dir: Path,
    run_id: str = "replay-btc",
    *,
    symbols: Sequence[str] = ("BTC/EUR",),
    steps: int = 600,
    trade_every: int = 40,
    write_last_seq: bool = True,
) -> V2Run:
    """A finished format-2 replay: heartbeat bars (no candle events), trips on every symbol,
    a risk block, an alert, a final flatten with reason end_of_run."""
    run = V2Run(base_dir, run_id, symbols=symbols, write_last_seq=write_last_seq)
    run.meta()
    run.start()
    quantities = {"BTC/EUR": "0.01667358", "ETH/EUR": "0.3125", "SOL/EUR": "6.5"}
    _trade_plan(run, steps // 2, trade_every, quantities)
    run.block(symbols[0], "buy", "0.5", "max_order_notional")
    run.alert("warning", "risk_blocked", "order blocked by a risk limit: max_order_notional")
    _trade_plan(run, steps - steps // 2, trade_every, quantities)
    if run.positions[symbols[0]] == 0:
        run.trade(symbols[0], "buy", quantities[symbols[0]])
    run.step()
    for symbol in symbols:
        if run.positions[symbol] > 0:
            run.trade(symbol, "sell", _plain(run.positions[symbol]), intent="flatten",
                      reason="end_of_run")  # fmt: skip
    run.final_heartbeat()
    run.end("completed")
    run.summary("completed")
    return run


def seed_live_run(base_dir: Path, run_id: str = "live-eth", *, steps: int = 90) -> V2Run:
    """A running format-2 live session on two symbols: candle events and heartbeat bars, an
    open position, a `reducing` state; files touched now (so it counts as live)."""
    run = V2Run(base_dir, run_id, symbols=("BTC/EUR", "ETH/EUR"), live=True, heartbeat_every=5)
    run.meta()
    run.start()
    _trade_plan(run, steps, 25, {"BTC/EUR": "0.01", "ETH/EUR": "0.25"})
    if run.positions["ETH/EUR"] == 0:
        run.trade("ETH/EUR", "buy", "0.25")
    run.change_state("reducing", "max_daily_loss_pct reached", until="2026-01-06T00:00:00Z")
    run.heartbeat()
    run.summary("running", ended=False)
    return run


def seed_resumed_run(base_dir: Path, run_id: str = "resumed-run") -> V2Run:
    """Life 1 crashed (no session_ended) holding a position, life 2 resumed and completed."""
    run = V2Run(base_dir, run_id)
    run.meta()
    run.start()
    _trade_plan(run, 120, 30, {"BTC/EUR": "0.02"})
    if run.positions["BTC/EUR"] == 0:
        run.trade("BTC/EUR", "buy", "0.02")
    run.resume(2, "crash", "running", T0 + timedelta(hours=5))
    _trade_plan(run, 120, 30, {"BTC/EUR": "0.02"})
    if run.positions["BTC/EUR"] > 0:
        run.trade("BTC/EUR", "sell", _plain(run.positions["BTC/EUR"]), intent="flatten",
                  reason="end_of_run")  # fmt: skip
    run.final_heartbeat()
    run.end("completed")
    run.summary("completed")
    return run


def seed_failed_run(base_dir: Path, run_id: str = "failed-run") -> V2Run:
    """A run that failed on a fatal error after exchange errors; the summary still says
    trading_state active (what the session had when it died)."""
    run = V2Run(base_dir, run_id)
    run.meta()
    run.start()
    _trade_plan(run, 80, 30, {"BTC/EUR": "0.02"})
    run.error("timeout fetching candles", kind="market_data")
    run.error("timeout fetching candles", kind="market_data")
    run.error("EOrder:Insufficient funds", kind="order")
    message = "EAPI:Invalid key (check KRAKEN_TESTNET_API_KEY)"
    run.error(message, fatal=True)
    run.alert("critical", "session_failed", f"session failed: ExchangeAuthError: {message}")
    run.end("failed", f"ExchangeAuthError: {message}")
    run.summary("failed", error=f"ExchangeAuthError: {message}")
    return run


def seed_halted_run(base_dir: Path, run_id: str = "halted-run") -> V2Run:
    """A run whose trading halted on the drawdown limit, flattened, and ended halted."""
    run = V2Run(base_dir, run_id)
    run.meta()
    run.start()
    _trade_plan(run, 60, 20, {"BTC/EUR": "0.05"})
    if run.positions["BTC/EUR"] == 0:
        run.trade("BTC/EUR", "buy", "0.05")
    run.change_state("halted", "max_drawdown_pct 5 reached")
    run.trade("BTC/EUR", "sell", _plain(run.positions["BTC/EUR"]), intent="flatten",
              reason="flatten_on_halt")  # fmt: skip
    run.alert("critical", "halted", "trading halted: max_drawdown_pct 5 reached")
    run.final_heartbeat()
    run.end("halted", "max_drawdown_pct 5 reached")
    run.summary("halted")
    return run


def write_large_run(
    base_dir: Path,
    run_id: str = "large-run",
    *,
    candles: int = 500_000,
    symbols: Sequence[str] = ("BTC/EUR",),
    heartbeat_every: int = 10,
    trade_every: int = 90,
) -> V2Run:
    """A long format-2 replay (default ~a year of minutes): heartbeats with bars and thousands
    of orders, written through the same ledger as the small fixtures."""
    run = V2Run(base_dir, run_id, symbols=symbols, heartbeat_every=heartbeat_every)
    run.meta()
    run.start()
    handle = (run.run.dir / "events.jsonl").open("a", buffering=1 << 20)
    run.run.event = _buffered_event(run.run, handle)  # type: ignore[method-assign]
    try:
        _trade_plan(run, candles, trade_every, {"BTC/EUR": "0.01667358", "ETH/EUR": "0.3125",
                                                 "SOL/EUR": "6.5"})  # fmt: skip
        run.block(symbols[0], "buy", "0.5", "max_order_notional")
        run.final_heartbeat()
        run.end("completed")
    finally:
        handle.close()
    run.summary("completed")
    return run


def _buffered_event(fake: FakeRun, handle: Any) -> Any:
    def event(kind: str, ts: datetime, /, **payload: Any) -> int:
        fake.seq += 1
        handle.write(json.dumps({"seq": fake.seq, "ts": iso(ts), "type": kind, **payload}) + "\n")
        return fake.seq

    return event
