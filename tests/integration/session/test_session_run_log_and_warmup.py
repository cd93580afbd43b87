"""Issue 12, findings 3 and 5 against the loopback Kraken server: a session whose run directory
is deleted sends no further order (it halts and fails instead of trading blind), and bad
market-data answers during warmup (invalid or truncated JSON, an HTML page, a lockout) are
waited out and retried: the session completes."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from tests.integration.session.conftest import START, Venue, open_run_log, read_events
from tests.support.kraken_faults import Fault
from tests.support.session_rig import FlipStrategy, live_session

from peak_trade.adapters.runlog.writer import RunLogGoneError
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingState

BTC_EUR = Symbol.parse("BTC/EUR")
LOCKOUT_SECONDS = 900  # the adapter reports Kraken's temporary lockout as a 900 s Retry-After


def test_no_order_goes_out_once_the_run_directory_is_deleted(kraken: Venue, tmp_path: Path) -> None:
    run_log = open_run_log(tmp_path, kraken.clock)
    changes: list[Decimal] = []
    sent_before: list[int] = []

    def delete_the_run_log_on_the_sixth_signal(target: Decimal) -> None:
        changes.append(target)
        if len(changes) == 6:  # three during warmup, the rest live: orders went out already
            sent_before.append(kraken.server.request_counts["AddOrder"])
            shutil.rmtree(run_log.run_dir)

    strategy = FlipStrategy(on_target=delete_the_run_log_on_the_sixth_signal)
    rig = live_session(
        kraken.client, kraken.clock, run_log, symbol=BTC_EUR, strategy=strategy, max_steps=30
    )

    with pytest.raises(RunLogGoneError, match="deleted or replaced"):
        rig.session.run()

    assert len(sent_before) == 1
    assert sent_before[0] >= 1
    assert kraken.server.request_counts["AddOrder"] == sent_before[0]  # nothing after
    assert rig.gate.state is TradingState.HALTED
    assert "run log unavailable" in rig.gate.reason


def test_warmup_rides_out_bad_market_data_answers_and_a_lockout(
    kraken: Venue, tmp_path: Path
) -> None:
    # Each group outlasts the adapter's own retries (max_retries = 2: three requests), so it
    # fails one warmup attempt of the session; the lockout fails one at once.
    kraken.server.inject("OHLC", Fault.invalid_json(times=3))
    kraken.server.inject("OHLC", Fault.html(times=3))
    kraken.server.inject("OHLC", Fault.kraken_error("EGeneral:Temporary lockout"))
    kraken.server.inject("OHLC", Fault.truncated_json(times=3))
    run_log = open_run_log(tmp_path, kraken.clock)
    rig = live_session(kraken.client, kraken.clock, run_log, symbol=BTC_EUR, max_steps=5)

    summary = rig.session.run()

    events = read_events(run_log)
    warmed = next(e for e in events if e["type"] == "state_changed" and e["from"] == "warmup")
    assert summary["status"] == "completed"
    assert summary["steps"] == 5
    assert warmed["warmup_candles"] == 5
    warmed_at = datetime.fromisoformat(warmed["ts"].replace("Z", "+00:00"))
    assert warmed_at >= START + timedelta(seconds=LOCKOUT_SECONDS)  # the lockout was waited out
    assert kraken.server.request_counts["OHLC"] >= 3 + 3 + 1 + 3 + 1
