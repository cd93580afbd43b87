"""Write run logs in the design.md section 6 format for monitor and dashboard tests.

Independent of the session's writer on purpose: tests can produce exactly the shapes a real run
leaves behind, including a crashed run (no summary, a half-written last line).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
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

    def event(self, kind: str, ts: datetime, **payload: Any) -> int:
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
