"""The floor: a minimal pure-Python loop with exactly the benchmark's trading rules."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks import rules
from benchmarks.outcome import ReplayOutcome, iter_csv_rows

SATOSHI = 100_000_000


def load_open_close(path: Path) -> tuple[list[float], list[float]]:
    """Opens and closes of a candle CSV as floats."""
    opens: list[float] = []
    closes: list[float] = []
    for row in iter_csv_rows(path):
        opens.append(float(row[1]))
        closes.append(float(row[4]))
    return opens, closes


def run_floor(
    opens: Iterable[float],
    closes: Iterable[float],
    *,
    backtesting_conventions: bool = False,
    signals: Sequence[bool | None] | None = None,
) -> ReplayOutcome:
    """Replay the rules over paired opens/closes; SMAs compared exactly on integer ticks.

    A tie (fast == slow) keeps the previous target, like peak_trade's ma_crossover. Entries are
    sized like peak_trade: equity x fraction / the decision candle's close, rounded down to a
    satoshi, skipped below the venue's minimum quantity or cost, filled at the next open. A
    skipped entry is not tried again until the strategy's next signal for it (the target goes
    flat and long again), like peak_trade's refused targets.

    For the cross-check only: `backtesting_conventions` sizes like backtesting.py instead
    (equity x fraction / (fill price x (1 + fee)) in whole satoshis, no venue minimums), and
    `signals` replaces the exact SMA comparison with given per-candle decisions (True: long
    wanted, False: flat wanted, None: keep).
    """
    fast_n, slow_n = rules.FAST_WINDOW, rules.SLOW_WINDOW
    fraction = float(rules.POSITION_FRACTION)
    fee_rate = float(rules.FEE_RATE)
    divisor = 1 + fee_rate if backtesting_conventions else 1.0
    min_sats = 0 if backtesting_conventions else round(float(rules.MIN_QUANTITY) * SATOSHI)
    min_cost = 0.0 if backtesting_conventions else float(rules.MIN_COST)
    window: deque[int] = deque(maxlen=slow_n)
    sum_fast = sum_slow = 0
    cash = float(rules.START_BALANCE)
    position = 0  # satoshis
    fees = 0.0
    entries = exits = candles = 0
    pending: bool | None = None  # target decided at the previous close, filled at this open
    target: bool | None = None
    refused = False  # the long target's entry was skipped: wait for its next signal
    close = decision_close = 0.0
    for index, (open_, close) in enumerate(zip(opens, closes, strict=True)):
        candles += 1
        if pending is not None:
            if pending and position == 0 and not refused:
                sizing_price = open_ if backtesting_conventions else decision_close
                sats = math.floor(cash * fraction / (sizing_price * divisor) * SATOSHI)
                if sats > 0 and sats >= min_sats and sats * sizing_price / SATOSHI >= min_cost:
                    notional = sats * open_ / SATOSHI
                    fee = notional * fee_rate
                    cash -= notional + fee
                    fees += fee
                    position = sats
                    entries += 1
                else:
                    refused = True
            elif not pending and position > 0:
                notional = position * open_ / SATOSHI
                fee = notional * fee_rate
                cash += notional - fee
                fees += fee
                position = 0
                exits += 1
            pending = None
        if signals is not None:
            pending = signals[index]
            decision_close = close
            continue
        tick = round(close * 10)
        if len(window) == slow_n:
            sum_slow -= window[0]
        if len(window) >= fast_n:
            sum_fast -= window[-fast_n]
        window.append(tick)
        sum_fast += tick
        sum_slow += tick
        if len(window) == slow_n:
            lhs, rhs = sum_fast * slow_n, sum_slow * fast_n
            if lhs != rhs:
                if target is not (lhs > rhs):
                    refused = False  # a new signal: a refused entry may be tried again
                target = lhs > rhs
            elif target is None:
                target = False  # equal averages on the first decision: stay out
            pending = target  # on a tie the previous target stands
            decision_close = close
    equity = cash + position * close / SATOSHI
    return ReplayOutcome(
        candles=candles,
        entries=entries,
        exits=exits,
        fees=fees,
        final_equity=equity,
        final_position=position / SATOSHI,
    )


def backtesting_signals(closes: Sequence[float]) -> list[bool | None]:
    """backtesting.py's decisions: float rolling means on FractionalBacktest's scaled prices."""
    import pandas as pd

    scaled = pd.Series(closes) * 1e-8
    fast = scaled.rolling(rules.FAST_WINDOW).mean().to_numpy()
    slow = scaled.rolling(rules.SLOW_WINDOW).mean().to_numpy()
    decisions = [
        True if f > s else False if f < s else None for f, s in zip(fast, slow, strict=True)
    ]
    # backtesting.py first calls next() one bar after its indicators are ready
    # (start = 1 + warm-up bars), so its first decision comes one candle later.
    decisions[: rules.SLOW_WINDOW] = [None] * min(rules.SLOW_WINDOW, len(decisions))
    return decisions


def run_floor_from_csv(path: Path) -> ReplayOutcome:
    """End to end: parse the CSV and replay (what the timing of the floor includes)."""
    opens, closes = load_open_close(path)
    return run_floor(opens, closes)
