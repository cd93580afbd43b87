"""TestnetSession on the real InMemoryExchange and a SimulatedClock."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from tests.unit.app.fakes import T0
from tests.unit.app.session_harness import build, synthetic

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.ports.errors import ExchangeUnavailableError


class TimedExchange:
    """Delegates to the in-memory venue; each candles() call takes `work` simulated seconds."""

    def __init__(self, inner: InMemoryExchange, clock: SimulatedClock, work: float) -> None:
        self._inner = inner
        self._clock = clock
        self._work = work
        self.poll_times: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def candles(self, *args: Any, **kwargs: Any) -> Any:
        self.poll_times.append(self._clock.monotonic())
        self._clock.advance(self._work)
        return self._inner.candles(*args, **kwargs)


class FlakyExchange:
    """Delegates to the in-memory venue but fails candles() on the calls listed in `failing`."""

    def __init__(self, inner: InMemoryExchange, failing: set[int]) -> None:
        self._inner = inner
        self._failing = failing
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def candles(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls in self._failing:
            raise ExchangeUnavailableError(f"simulated outage on call {self.calls}")
        return self._inner.candles(*args, **kwargs)


def test_replay_trades_and_summary_figures_equal_the_ledger_and_the_events() -> None:
    h = build(synthetic(600), replay=True)
    summary = h.session.run()

    p = h.portfolio
    assert summary["status"] == "completed"
    assert summary["fees_paid"] == p.fees_paid
    assert summary["realized_pnl"] == p.realized_pnl
    assert summary["unrealized_pnl"] == p.unrealized_pnl
    assert summary["end_equity"] == p.equity
    assert summary["max_drawdown_pct"] == p.max_drawdown_pct
    fills = h.log.of_type("simulated_fill")
    assert len(fills) >= 4  # the strategy traded several times
    assert summary["orders_validated"] == len(fills) == summary["orders_submitted"]
    assert sum((Decimal(str(f["fee"])) for f in fills), ZERO) == p.fees_paid
    assert summary["simulated_fills"] is True
    assert summary["candles_processed"] == 600 - 30
    assert summary["signals"] == len(h.log.of_type("signal"))
    assert h.log.summaries[-1] == summary
    assert h.log.closed


def test_forming_candle_is_never_fed_and_every_candle_is_fed_once_in_order() -> None:
    h = build(synthetic(300), max_steps=271)  # live: one poll a minute to the last close
    h.session.run()
    times = [candle.open_time for candle, _ in h.strategy.fed]
    assert times == [c.open_time for c in synthetic(300)]  # warmup + live, none skipped
    for candle, fed_at in h.strategy.fed:
        assert candle.closed
        assert candle.open_time + timedelta(minutes=1) <= fed_at


def test_missed_bars_are_fed_in_order_when_polls_are_further_apart_than_candles() -> None:
    h = build(synthetic(200), poll=180, max_steps=58)
    h.session.run()
    live = [c.open_time for c, _ in h.strategy.fed][30:]
    assert len(live) == 170
    assert all(b - a == timedelta(minutes=1) for a, b in itertools.pairwise(live))
    assert h.session.metrics().steps == 58  # three candles per step


def test_polls_follow_a_fixed_schedule_without_drift() -> None:
    exchanges: list[TimedExchange] = []

    def wrap(inner: InMemoryExchange, clock: SimulatedClock) -> TimedExchange:
        exchanges.append(TimedExchange(inner, clock, work=7.0))
        return exchanges[0]

    h = build(synthetic(100), wrap=wrap, max_steps=20)
    h.session.run()
    polls = exchanges[0].poll_times[-20:]  # the loop's polls (warmup's come first)
    start = polls[0]
    assert [t - start for t in polls] == [60.0 * k for k in range(20)]


def test_overrunning_work_skips_to_the_next_tick_instead_of_drifting() -> None:
    exchanges: list[TimedExchange] = []

    def wrap(inner: InMemoryExchange, clock: SimulatedClock) -> TimedExchange:
        exchanges.append(TimedExchange(inner, clock, work=150.0))
        return exchanges[0]

    h = build(synthetic(200), wrap=wrap, max_steps=5)
    h.session.run()
    polls = exchanges[0].poll_times[-5:]
    assert [t - polls[0] for t in polls] == [0.0, 180.0, 360.0, 540.0, 720.0]


class StopWhenRead(list[Any]):
    """Candles whose stream requests a stop (as a signal handler would, from outside the
    loop) when candle `at` is read: a replay reads ahead a block at a time."""

    def __init__(self, candles: list[Any], at: int, holder: list[Any]) -> None:
        super().__init__(candles)
        self._at, self._holder = at, holder

    def __iter__(self) -> Any:
        for index, candle in enumerate(super().__iter__()):
            if index == self._at:
                self._holder[0].stop.request("SIGTERM")
            yield candle


def test_a_stop_requested_during_a_calm_stretch_ends_the_run_within_it() -> None:
    # With a heartbeat far away the replay may run thousands of candles before telling the
    # session; a stop arriving meanwhile must still end the run after the current candle.
    holder: list[Any] = []
    quiet = {"fast_window": 1000, "slow_window": 2000}  # no signal to end a stretch early
    h = build(
        StopWhenRead(synthetic(3000), 600, holder), replay=True, heartbeat=100_000, params=quiet
    )
    holder.append(h)
    summary = h.session.run()
    assert summary["status"] == "interrupted"
    assert summary["steps"] < 600  # the stop came while the block before candle 600 ran
    assert h.log.events[-1]["reason"] == "SIGTERM"


def test_max_steps_and_duration_bound_the_run() -> None:
    assert build(synthetic(300), max_steps=7).session.run()["steps"] == 7
    assert build(synthetic(300), duration=Decimal(10)).session.run()["steps"] == 10
    assert build(synthetic(300), duration=Decimal("2.5")).session.run()["steps"] == 3


def test_stop_request_finishes_the_step_and_reports_interrupted() -> None:
    # A replay tells on_step after calm stretches (up to a heartbeat apart), so the request
    # comes at the first report from step 5 on; the run ends right after that step.
    holder: list[Any] = []
    requested_at: list[int] = []

    def on_step(metrics: TestnetSessionMetrics) -> None:
        if metrics.steps >= 5 and not requested_at:
            requested_at.append(metrics.steps)
            holder[0].stop.request("SIGINT")

    h = build(synthetic(300), on_step=on_step, replay=True)
    holder.append(h)
    summary = h.session.run()
    assert summary["status"] == "interrupted"
    assert requested_at
    assert summary["steps"] == requested_at[0] < 300
    assert h.log.events[-1]["type"] == "session_ended"
    assert h.log.events[-1]["reason"] == "SIGINT"


def test_consecutive_exchange_errors_halt_trading_but_not_logging() -> None:
    flaky: list[FlakyExchange] = []

    def wrap(inner: InMemoryExchange, clock: SimulatedClock) -> FlakyExchange:
        flaky.append(FlakyExchange(inner, failing={5, 6, 7}))
        return flaky[0]

    h = build(synthetic(400), wrap=wrap, max_consecutive_errors=3, max_steps=40)
    summary = h.session.run()

    assert summary["status"] == "halted"
    assert "3 consecutive exchange errors" in summary["halt_reason"]
    assert summary["exchange_errors"] == 3
    halt_at = h.log.types().index("state_changed", 1)
    after = h.log.types()[halt_at:]
    assert "order_intent" not in after
    assert "candle" in after  # still polling and logging


def test_daily_loss_breach_moves_to_reducing_and_only_exits_go_out() -> None:
    limits = LiveRiskLimits(base_currency="EUR", max_daily_loss_abs=Decimal("0.5"))
    h = build(synthetic(600), limits=limits, replay=True)
    summary = h.session.run()
    assert summary["status"] == "completed"
    assert summary["trading_state"] == "reducing"
    assert "max_daily_loss_abs" in summary["halt_reason"]
    reducing_at = next(i for i, e in enumerate(h.log.events) if e.get("to") == "reducing")
    after = h.log.events[reducing_at:]
    intents = [e for e in after if e["type"] == "order_intent"]
    assert all(e["intent"] == "close" for e in intents)  # exits still go out
    refused = [
        e for e in after if e["type"] == "order_result" and e.get("reason") == "reducing_only"
    ]
    assert refused  # new exposure was refused


def test_heartbeat_rewrites_the_running_summary() -> None:
    h = build(synthetic(300), heartbeat=5, max_steps=12)
    h.session.run()
    beats = h.log.of_type("heartbeat")
    assert [b["step"] for b in beats] == [5, 10, 12]  # the last one closes the run's record
    statuses = [s["status"] for s in h.log.summaries]
    assert statuses[0] == "running"
    assert statuses.count("running") == 3
    assert statuses[-1] == "completed"
    for beat, summary in ((beats[1], h.log.summaries[2]), (beats[2], h.log.summaries[-1])):
        for key in ("realized_pnl", "unrealized_pnl", "fees_paid", "exchange_errors"):
            assert beat[key] == summary[key], key
        assert beat["equity"] == summary["end_equity"]
        assert beat["step"] == summary["steps"]


def test_heartbeats_within_a_second_of_wall_time_skip_the_summary_rewrite() -> None:
    frozen_wall = SimulatedClock(T0)  # no wall time passes during the whole run
    h = build(synthetic(300), heartbeat=1, max_steps=6, wall_clock=frozen_wall)
    h.session.run()
    assert [b["step"] for b in h.log.of_type("heartbeat")] == [1, 2, 3, 4, 5, 6]
    assert [s["status"] for s in h.log.summaries] == ["running", "completed"]


def test_a_heartbeat_rewrites_the_summary_once_a_second_of_wall_time_has_passed() -> None:
    wall = SimulatedClock(T0)
    h = build(
        synthetic(300),
        heartbeat=1,
        max_steps=6,
        wall_clock=wall,
        on_step=lambda _metrics: wall.advance(0.5),  # each step takes half a wall second
    )
    h.session.run()
    running = [s["steps"] for s in h.log.summaries if s["status"] == "running"]
    assert running == [0, 3, 5]  # wall 0 s at the start, then 1 s and 2 s
    assert len(h.log.of_type("heartbeat")) == 6


def test_rsi_strategy_runs_by_name() -> None:
    h = build(synthetic(800, seed=11), strategy="rsi_strategy", params={"period": 5}, replay=True)
    summary = h.session.run()
    assert summary["signals"] > 0
    assert h.log.meta is not None


def test_a_fatal_failure_is_summarized_as_failed_and_raised() -> None:
    class Broken:
        def __init__(self, inner: InMemoryExchange) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

        def candles(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("bug in an adapter")

    h = build(synthetic(100), wrap=lambda inner, clock: Broken(inner), max_steps=10)
    with pytest.raises(RuntimeError, match="bug in an adapter"):
        h.session.run()
    assert h.log.summaries[-1]["status"] == "failed"
    assert "bug in an adapter" in h.log.summaries[-1]["error"]
    assert h.log.closed


def test_without_warmup_history_is_not_replayed_as_new_candles() -> None:
    candles = synthetic(200)
    h = build(candles, warmup=0, history=50, max_steps=3)
    h.session.run()
    # 50 candles closed before the start are history: only the two that close later are fed
    assert [c.open_time for c, _ in h.strategy.fed] == [c.open_time for c in candles[50:52]]


def test_warmup_primes_the_strategy_before_the_first_live_candle() -> None:
    h = build(synthetic(200), warmup=30, max_steps=2)
    h.session.run()
    warm = [c for c, fed_at in h.strategy.fed if fed_at == h.strategy.fed[0][1]]
    assert len(warm) == 30
    assert h.log.events[1]["warmup_candles"] == 30
