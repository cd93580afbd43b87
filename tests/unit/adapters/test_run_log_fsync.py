"""fsync of order events, seen through the writer's injectable fsync: deterministic tests that
fail when order events stop being made durable (a writer that never fsyncs, or an order that
goes out before its intent is on disk)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.unit.app.executor_rig import buy, make_executor
from tests.unit.app.fakes import T0, SpyExchange

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.writer import RunLogWriter
from peak_trade.domain.orders import OrderAck, OrderRequest
from peak_trade.ports.events import EventType


class FsyncSpy:
    """Records how much of the file was durable at each fsync."""

    def __init__(self) -> None:
        self.synced: list[int] = []

    def __call__(self, fd: int) -> None:
        os.fsync(fd)
        self.synced.append(os.fstat(fd).st_size)

    @property
    def durable(self) -> int:
        return self.synced[-1] if self.synced else 0


def test_each_order_event_is_fsynced_and_other_events_wait_for_the_next(tmp_path: Path) -> None:
    spy = FsyncSpy()
    log = RunLogWriter(tmp_path, "run", SimulatedClock(T0), fsync=spy)
    path = log.events_path

    log.append(EventType.SIGNAL, {"target": "1"})
    assert spy.durable < path.stat().st_size  # not an order event: no fsync of its own
    log.append(EventType.ORDER_INTENT, {"client_order_id": "a"})
    assert spy.durable == path.stat().st_size  # the intent, and the signal with it
    log.append(EventType.HEARTBEAT, {"step": 1})
    assert spy.durable < path.stat().st_size
    log.append(EventType.ORDER_RESULT, {"client_order_id": "a"})
    assert spy.durable == path.stat().st_size
    log.append(EventType.SIMULATED_FILL, {"client_order_id": "a"})
    assert spy.durable == path.stat().st_size


def test_a_replay_writer_without_order_fsync_is_durable_at_sync(tmp_path: Path) -> None:
    spy = FsyncSpy()
    log = RunLogWriter(tmp_path, "run", SimulatedClock(T0), fsync=spy, fsync_orders=False)
    log.append(EventType.ORDER_INTENT, {"client_order_id": "a"})
    assert spy.synced == []

    log.sync()

    assert spy.durable == log.events_path.stat().st_size


def test_no_order_reaches_the_venue_before_its_intent_is_on_disk(tmp_path: Path) -> None:
    spy = FsyncSpy()
    log = RunLogWriter(tmp_path, "run", SimulatedClock(T0), fsync=spy)
    durable_at_submit: list[tuple[int, bytes]] = []

    class CheckingExchange(SpyExchange):
        def submit_order(self, order: OrderRequest) -> OrderAck:
            data = log.events_path.read_bytes()
            durable_at_submit.append((spy.durable, data[: spy.durable]))
            return super().submit_order(order)

    executor = make_executor(CheckingExchange(), log=log)  # type: ignore[arg-type]
    executor.execute(buy("0.01"))

    durable, on_disk = durable_at_submit[0]
    assert durable > 0
    assert b'"type":"order_intent"' in on_disk.splitlines()[-1]  # the last durable line
