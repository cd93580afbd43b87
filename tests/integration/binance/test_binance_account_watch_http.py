"""The session's AccountWatch against the loopback Binance account: capital at start, and a
testnet reset found either way (an order of ours vanished, or the balances jumped) - and no
alarm while the account only moves by the session's own fills."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from dependency_injector import providers
from tests.integration.binance.conftest import KEY, SECRET
from tests.support.binance_cli import KEY_VAR, SECRET_VAR, binance_config
from tests.support.binance_server import BinanceLoopbackServer
from tests.unit.app.fakes import MemoryRunLog

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.bootstrap import SessionContainer
from peak_trade.app.config import load_config
from peak_trade.app.plan import SessionRequest, resolve_session_plan
from peak_trade.app.session.account import AccountWatch, InsufficientCapitalError
from peak_trade.app.session.core import TradingCore
from peak_trade.domain.symbols import Symbol

BTC_USDT = Symbol.parse("BTC/USDT")
LONG, FLAT = Decimal(1), Decimal(0)


@attrs.define
class Parts:
    watch: AccountWatch
    core: TradingCore
    log: MemoryRunLog
    server: BinanceLoopbackServer

    def trade(self, target: Decimal) -> None:
        book = self.core.books[BTC_USDT]
        assert self.core.trader.trade_towards(book, Decimal(65000), target=target, reason="t")

    def resets(self) -> list[dict[str, Any]]:
        return [e for e in self.log.events if e.get("kind") == "venue_reset"]


@pytest.fixture
def make_parts(tmp_path: Path, server: BinanceLoopbackServer, clock: SimulatedClock) -> Any:
    containers: list[SessionContainer] = []

    def make(*, validate_only: bool = False, start_balance: str = "10000") -> Parts:
        path = binance_config(
            tmp_path / "b.toml", server.base_url, validate_only=validate_only,
            start_balance=start_balance,
        )  # fmt: skip
        config = load_config(path)
        plan = resolve_session_plan(SessionRequest(run_id="watch", no_logging=True), config)
        environ = {KEY_VAR: KEY, SECRET_VAR: SECRET}
        container = SessionContainer(config=config, plan=plan, environ=environ)
        container.clock.override(providers.Object(clock))
        log = MemoryRunLog("watch")
        container.event_log.override(providers.Object(log))
        containers.append(container)
        exchange, core = container.exchange(), container.core()
        core.books[BTC_USDT].rules = exchange.instrument(BTC_USDT)
        watch = AccountWatch.of(exchange, core, container.portfolio(), log)
        return Parts(watch=watch, core=core, log=log, server=server)

    yield make
    for container in containers:
        container.exchange().close()


def test_the_start_reads_the_traded_assets_and_checks_the_capital(make_parts: Any) -> None:
    parts = make_parts(start_balance="100001")
    opening = parts.watch.opening()
    assert opening == {
        "account_balances": {
            "BTC": {"free": Decimal(10), "locked": Decimal(0)},
            "USDT": {"free": Decimal(100000), "locked": Decimal(0)},
        }
    }
    with pytest.raises(InsufficientCapitalError, match="100001 USDT is more than the free USDT"):
        parts.watch.require_capital()


def test_a_start_balance_the_free_quote_covers_is_accepted(make_parts: Any) -> None:
    parts = make_parts(start_balance="100000")
    parts.watch.opening()
    parts.watch.require_capital()
    assert parts.watch.summary_fields()["account_balances"]["end"] is None


def test_an_order_of_ours_that_vanished_is_a_reset(make_parts: Any) -> None:
    parts = make_parts()
    parts.watch.opening()
    parts.trade(LONG)
    parts.watch.heartbeat()  # finds an order of ours to watch
    parts.watch.heartbeat()
    assert parts.resets() == []

    parts.server.reset_testnet()
    parts.watch.heartbeat()

    (reset,) = parts.resets()
    assert "which this session placed and the venue accepted, no longer exists" in reset["message"]
    assert reset["fatal"] is False
    assert parts.watch.resets == 1
    assert parts.watch.last_reset == reset["message"]  # the alert engine's venue_reset rule
    parts.watch.heartbeat()  # reported once; the watch goes on from the new balances
    assert len(parts.resets()) == 1


def test_balances_that_jump_are_a_reset_before_any_order_was_seen(make_parts: Any) -> None:
    parts = make_parts()
    parts.watch.opening()
    parts.trade(LONG)
    parts.server.reset_testnet()  # before the watch found an order of ours to look up
    parts.watch.heartbeat()

    (reset,) = parts.resets()
    assert "the account holds 10 BTC where" in reset["message"]
    assert reset["account_balances"]["BTC"]["free"] == Decimal(10)


def test_the_sessions_own_fills_raise_no_alarm_even_with_bnb_fees(make_parts: Any) -> None:
    parts = make_parts()
    parts.server.book.bnb_fees = True
    parts.watch.opening()
    for target in (LONG, FLAT, LONG):
        parts.trade(target)
        parts.watch.heartbeat()
    assert parts.resets() == []
    assert parts.watch.closing()["account_balances"]["BTC"]["free"] > Decimal(10)


def test_validate_only_sessions_are_not_watched(make_parts: Any) -> None:
    parts = make_parts(validate_only=True, start_balance="100000000")
    assert not parts.watch.active
    assert parts.watch.opening() == parts.watch.closing() == parts.watch.summary_fields() == {}
    parts.watch.require_capital()  # nothing real is at stake
    parts.watch.heartbeat()
    assert parts.server.request_counts["GET /api/v3/account"] == 0


def test_a_resumed_run_takes_its_first_heartbeat_as_the_start(make_parts: Any) -> None:
    parts = make_parts(start_balance="100000000")  # checked when the run first started
    parts.trade(LONG)  # the resumed ledger already holds a position; no opening() on resume
    parts.watch.require_capital()
    parts.watch.heartbeat()
    parts.watch.heartbeat()
    assert parts.resets() == []
    parts.server.reset_testnet()
    parts.watch.heartbeat()
    assert len(parts.resets()) == 1
