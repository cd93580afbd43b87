"""The DI container: config -> clock -> exchange -> risk -> executor -> session; overridable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from dependency_injector import providers
from tests.unit.app.fakes import BTC_EUR, MemoryRunLog
from tests.unit.app.session_harness import setup_replay as setup
from tests.unit.app.session_harness import synthetic

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.app.bootstrap import SessionContainer
from peak_trade.app.config import load_config
from peak_trade.app.errors import UsageError
from peak_trade.app.plan import SessionRequest, resolve_session_plan
from peak_trade.domain.symbols import Timeframe


def test_tests_override_the_exchange_clock_and_event_log(tmp_path: Path) -> None:
    config_path, replay = setup(tmp_path)
    config = load_config(config_path)
    plan = resolve_session_plan(SessionRequest(replays=(str(replay),), run_id="override"), config)
    clock = SimulatedClock(plan.replay_start_or_epoch)
    exchange = InMemoryExchange(
        InMemoryExchangeConfig(), clock, symbols=[BTC_EUR], timeframe=Timeframe.M1
    )
    log = MemoryRunLog("override")
    container = SessionContainer(config=config, plan=plan, environ={})
    container.clock.override(providers.Object(clock))
    container.exchange.override(providers.Object(exchange))
    container.event_log.override(providers.Object(log))

    summary = container.session().run()

    assert summary["candles_processed"] == 200 - 20  # the file's candles after the warmup
    assert clock.now() == synthetic(200)[-1].open_time + timedelta(minutes=1)
    assert log.types()[0] == "session_started"
    assert not (tmp_path / "live_runs").exists()


def test_plan_applies_command_line_overrides(tmp_path: Path) -> None:
    config_path, replay = setup(tmp_path)
    config = load_config(config_path)
    plan = resolve_session_plan(
        SessionRequest(
            replays=(str(replay),), strategy="rsi_strategy", duration="1.5", max_steps=9
        ),
        config,
    )
    assert plan.session.strategy == "rsi_strategy"
    assert plan.strategy_params[BTC_EUR]["period"] == 14
    assert str(plan.duration_minutes) == "1.5"
    assert plan.max_steps == 9
    assert plan.clock_kind == "simulated"
    assert plan.replay_start_or_epoch == synthetic(1)[0].open_time  # warmup is in the replay


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SessionRequest(), "add --replay"),
        (SessionRequest(symbols=("ETH/EUR",)), "holds BTC/EUR candles"),
        (SessionRequest(duration="-1"), "positive number of minutes"),
        (SessionRequest(max_steps=0), "--max-steps"),
        (SessionRequest(run_id="../x"), "--run-id"),
        (SessionRequest(timeframe="7x"), "--timeframe"),
    ],
)
def test_plan_refuses_impossible_requests(
    tmp_path: Path, request_: SessionRequest, message: str
) -> None:
    config_path, replay = setup(tmp_path)
    config = load_config(config_path)
    if request_ != SessionRequest():  # all but the first case have a valid replay file
        request_ = attrs.evolve(request_, replays=(str(replay),))
    with pytest.raises(UsageError, match=message.replace("-", r"\-")):
        resolve_session_plan(request_, config)
