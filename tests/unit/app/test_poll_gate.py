"""CandleCloseGate: a live tick polls the symbols whose candle may have closed, else one probe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peak_trade.app.session.poll_gate import CandleCloseGate
from peak_trade.domain.symbols import Symbol

BTC, ETH, SOL = (Symbol.parse(s) for s in ("BTC/EUR", "ETH/EUR", "SOL/EUR"))
T = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a candle opens
MINUTE = timedelta(minutes=1)


def caught_up(gate: CandleCloseGate, forming: datetime, now: datetime) -> None:
    """Every symbol polled and showing `forming`."""
    for symbol in gate.plan(now):
        gate.observed(symbol, forming, now)


def test_the_first_tick_polls_every_symbol() -> None:
    gate = CandleCloseGate([BTC, ETH, SOL], 60)
    assert gate.plan(T) == [BTC, ETH, SOL]


def test_with_nobody_behind_one_symbol_probes_and_the_probe_rotates() -> None:
    gate = CandleCloseGate([BTC, ETH, SOL], 60)
    caught_up(gate, T, T + timedelta(seconds=5))
    later = T + timedelta(hours=1)  # a venue clock the session's does not agree with
    probes = [gate.plan(later + k * MINUTE) for k in range(4)]
    assert probes == [[ETH], [SOL], [BTC], [ETH]]


def test_a_probe_that_shows_a_close_brings_the_others_in_this_tick() -> None:
    gate = CandleCloseGate([BTC, ETH, SOL], 60)
    caught_up(gate, T, T + timedelta(seconds=5))
    now = T + MINUTE + timedelta(seconds=2)
    [probe] = gate.plan(now, since_last_tick=60)
    assert gate.observed(probe, T + MINUTE, now) is True
    assert gate.behind({probe}) == [s for s in (SOL, BTC) if s != probe]
    assert not gate.due(probe)


def test_a_probe_without_a_close_brings_nobody() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    caught_up(gate, T, T + timedelta(seconds=5))
    [probe] = gate.plan(T + MINUTE, since_last_tick=60)
    assert gate.observed(probe, T, T + MINUTE) is False
    assert gate.behind({probe}) == []


def test_a_symbol_left_behind_by_a_failed_poll_stays_due() -> None:
    gate = CandleCloseGate([BTC, ETH, SOL], 60)
    caught_up(gate, T, T + timedelta(seconds=5))
    now = T + MINUTE
    [probe] = gate.plan(now, since_last_tick=60)
    gate.observed(probe, T + MINUTE, now)
    others = gate.behind({probe})
    gate.observed(others[0], T + MINUTE, now)  # the second one's poll failed: not observed
    assert gate.plan(now + MINUTE, since_last_tick=60) == [others[1]]


def test_a_symbol_whose_venue_shows_no_forming_candle_is_polled_every_tick() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    now = T + timedelta(seconds=5)
    gate.plan(now)
    gate.observed(BTC, None, now)
    gate.observed(ETH, T, now)
    later = T + timedelta(hours=2)
    plans = [gate.plan(later + k * MINUTE) for k in range(3)]
    assert all(BTC in plan for plan in plans)
    assert all(ETH in plan for plan in plans)  # ETH still probes: the gate never stalls


def closes(gate: CandleCloseGate, count: int, seen_after: timedelta) -> datetime:
    """`count` candle closes after T, each seen `seen_after` the close by every symbol; the
    newest forming candle's open time."""
    caught_up(gate, T, T + seen_after)
    for k in range(1, count + 1):
        now = T + k * MINUTE + seen_after
        queue, polled = gate.plan(now, since_last_tick=10), set()
        while queue:
            symbol = queue.pop(0)
            polled.add(symbol)
            if gate.observed(symbol, T + k * MINUTE, now):
                queue = gate.behind(polled)
    return T + count * MINUTE


def test_frequent_ticks_skip_the_probe_until_the_forming_candle_can_have_closed() -> None:
    gate = CandleCloseGate([BTC, ETH, SOL], 60)
    forming = closes(gate, 3, timedelta(seconds=3))  # venue clock = session clock
    ticks = [forming + timedelta(seconds=s) for s in (13, 23, 33, 43, 53)]
    assert [gate.plan(now, since_last_tick=10) for now in ticks] == [[]] * 5
    assert len(gate.plan(forming + timedelta(seconds=63), since_last_tick=10)) == 1


def test_the_clocks_are_trusted_only_after_three_closes() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    forming = closes(gate, 2, timedelta(seconds=3))
    assert len(gate.plan(forming + timedelta(seconds=13), since_last_tick=10)) == 1


def test_a_compressed_market_that_starts_at_the_local_time_is_never_trusted() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    # a test market at 120x real time: a candle closes every half second of local time
    local = T + timedelta(seconds=55)
    caught_up(gate, T, local)
    polls = 0
    for k in range(1, 9):
        local += timedelta(seconds=0.5)
        queue, polled = gate.plan(local, since_last_tick=0.5), set()
        while queue:
            symbol = queue.pop(0)
            polled.add(symbol)
            polls += 1
            if gate.observed(symbol, T + k * MINUTE, local):
                queue = gate.behind(polled)
    assert polls == 8 * 2  # every close seen by both symbols: no tick was skipped
    assert gate.newest_forming == T + 8 * MINUTE


def test_a_venue_clock_far_from_the_sessions_gets_a_probe_every_tick() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    market = T - timedelta(days=300)  # a test market replaying an old day at speed
    caught_up(gate, market, T)
    plans = [gate.plan(T + timedelta(seconds=s), since_last_tick=10) for s in (10, 20, 30)]
    assert all(len(plan) == 1 for plan in plans)


def test_ticks_a_candle_apart_always_probe() -> None:
    gate = CandleCloseGate([BTC, ETH], 60)
    caught_up(gate, T, T + timedelta(seconds=50))
    # the next tick comes early in the forming candle, but a whole tick has passed
    assert len(gate.plan(T + timedelta(seconds=55), since_last_tick=60)) == 1
