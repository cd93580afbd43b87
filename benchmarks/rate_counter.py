"""Kraken's REST call counter and per-pair order counter, replayed over a request timeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# (max counter, decay per second) per tier; kraken-api.md section 3 [RL] and [TRL].
REST_TIERS = {"starter": (15.0, 0.33), "intermediate": (20.0, 0.5), "pro": (20.0, 1.0)}
ORDER_TIERS = {"starter": (60.0, 1.0), "intermediate": (125.0, 2.34), "pro": (180.0, 3.75)}
HISTORY_CALLS = frozenset({"TradesHistory", "QueryTrades", "Ledgers", "QueryLedgers"})
ORDER_CALLS = frozenset({"AddOrder", "CancelOrder"})


@dataclass(frozen=True)
class CounterReplay:
    """Peak value a counter reached and whether it ever exceeded its maximum."""

    name: str
    requests: int
    peak: float
    maximum: float
    tripped: bool


def rest_cost(method: str) -> int:
    """Cost on the REST counter: 2 for ledger/trade history, 0 for orders, 1 otherwise."""
    if method in ORDER_CALLS:
        return 0
    return 2 if method in HISTORY_CALLS else 1


def replay_counter(
    name: str, events: Iterable[tuple[float, float]], maximum: float, decay: float
) -> CounterReplay:
    """Replay (time_seconds, cost) events in time order against a decaying counter."""
    counter = 0.0
    peak = 0.0
    last: float | None = None
    count = 0
    tripped = False
    for moment, cost in sorted(events):
        if last is not None:
            counter = max(0.0, counter - decay * (moment - last))
        last = moment
        count += 1
        if cost <= 0:
            continue
        if counter + cost > maximum:
            tripped = True
        counter += cost
        peak = max(peak, counter)
    return CounterReplay(name=name, requests=count, peak=peak, maximum=maximum, tripped=tripped)


def replay_kraken_counters(
    timeline: Sequence[tuple[float, str, bool]], tier: str = "starter"
) -> list[CounterReplay]:
    """Check a (time_seconds, method, private) timeline against the tier's counters.

    Three views: the private REST counter as Kraken defines it, the per-pair order counter
    (AddOrder +1 each; validate-only orders count too), and a stricter view that charges
    every request, public ones included, to the REST counter.
    """
    rest_max, rest_decay = REST_TIERS[tier]
    order_max, order_decay = ORDER_TIERS[tier]
    private = [(t, float(rest_cost(m))) for t, m, is_private in timeline if is_private]
    orders = [(t, 1.0) for t, m, _ in timeline if m == "AddOrder"]
    everything = [(t, float(max(rest_cost(m), 1))) for t, m, _ in timeline]
    return [
        replay_counter(f"REST counter, private calls ({tier})", private, rest_max, rest_decay),
        replay_counter(f"order counter, AddOrder ({tier})", orders, order_max, order_decay),
        replay_counter(
            f"REST counter charged for every call incl. public ({tier}, stricter than Kraken)",
            everything,
            rest_max,
            rest_decay,
        ),
    ]
