"""The shared HTTP delivery against a loopback receiver: retries, give-ups, queueing and close()."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping

import pytest
from tests.support.alert_receivers import AlertReceiver, RecordedWaits, Reply, sample_alert

from peak_trade.adapters.alerts.delivery import DeliveryStats, HttpAlertSink
from peak_trade.adapters.alerts.factories import discord_sink, telegram_sink, webhook_sink
from peak_trade.adapters.alerts.retry import RetryPolicy
from peak_trade.adapters.alerts.service import HttpPost, Verdict
from peak_trade.adapters.alerts.webhook_sink import SlackWebhook
from peak_trade.ports.alerts import Alert

PATH = "/hook/T0/SECRET"


def send_all(sink: HttpAlertSink, rules: Iterable[str]) -> None:
    for rule in rules:
        sink.send(sample_alert(rule))


def still_running(sink: HttpAlertSink) -> bool:
    return sink.running


def in_thread(action: Callable[[], None]) -> threading.Event:
    """Run `action` on a helper thread; the returned event is set once it has returned."""
    returned = threading.Event()

    def run() -> None:
        action()
        returned.set()

    threading.Thread(target=run, daemon=True).start()
    return returned


def test_429_is_retried_after_the_retry_after_header_then_delivered() -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.retry_after(7)) as receiver:
        sink = webhook_sink(receiver.url(PATH), wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert waits.seconds == [7.0]
    assert sink.stats() == DeliveryStats(delivered=1, retries=1)
    first, second = receiver.requests
    assert first.body == second.body


def test_discord_429_waits_for_its_json_retry_after() -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.discord_rate_limited(2.5), otherwise=Reply.ok(204)) as receiver:
        sink = discord_sink(receiver.url(PATH), wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert waits.seconds == [2.5]
    assert sink.stats() == DeliveryStats(delivered=1, retries=1)


def test_telegram_429_waits_for_its_parameters_retry_after() -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.telegram_rate_limited(3), otherwise=Reply.telegram_sent()) as receiver:
        sink = telegram_sink("1:T", "42", base_url=receiver.base_url, wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert waits.seconds == [3.0]
    assert sink.stats() == DeliveryStats(delivered=1, retries=1)
    assert len(receiver.requests) == 2


def test_5xx_is_retried_with_exponential_backoff_then_delivered() -> None:
    waits = RecordedWaits()
    policy = RetryPolicy(max_retries=3, backoff_seconds=1, max_backoff_seconds=30)
    with AlertReceiver(Reply.http(500), Reply.http(502), Reply.http(503)) as receiver:
        sink = HttpAlertSink(
            SlackWebhook(receiver.url(PATH)), retry=policy, wait=waits, jitter=lambda: 1.0
        )
        sink.send(sample_alert())
        sink.close(10)
    assert waits.seconds == [1.0, 2.0, 4.0]
    assert sink.stats() == DeliveryStats(delivered=1, retries=3)
    assert len(receiver.requests) == 4


def test_a_closed_connection_and_a_timeout_are_retried() -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.close_connection(), Reply.hang()) as receiver:
        sink = webhook_sink(receiver.url(PATH), timeout_seconds=0.5, wait=waits)
        sink.send(sample_alert())
        assert sink.drain(20)
        sink.close(10)
    assert sink.stats() == DeliveryStats(delivered=1, retries=2)
    assert len(waits.seconds) == 2
    assert len(receiver.requests) == 3


def test_a_4xx_other_than_429_is_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.http(404, "no_service")) as receiver:
        sink = webhook_sink(receiver.url(PATH), wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert sink.stats() == DeliveryStats(failed=1)
    assert waits.seconds == []
    assert len(receiver.requests) == 1
    assert "alert halted not delivered (HTTP 404)" in caplog.text


def test_gives_up_after_max_retries_and_counts_failed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    waits = RecordedWaits()
    with AlertReceiver(otherwise=Reply.http(500)) as receiver:
        sink = webhook_sink(receiver.url(PATH), max_retries=2, wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert sink.stats() == DeliveryStats(failed=1, retries=2)
    assert len(receiver.requests) == 3
    assert len(waits.seconds) == 2
    assert "alert halted not delivered (HTTP 500) after 3 attempt(s)" in caplog.text


def test_a_wait_longer_than_the_cap_gives_the_alert_up(caplog: pytest.LogCaptureFixture) -> None:
    waits = RecordedWaits()
    with AlertReceiver(Reply.retry_after(3600)) as receiver:
        sink = webhook_sink(receiver.url(PATH), max_wait_seconds=60, wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert sink.stats() == DeliveryStats(failed=1)
    assert waits.seconds == []
    assert len(receiver.requests) == 1
    assert "asked to wait 3600.0s, longer than 60.0s" in caplog.text


def test_an_unreachable_endpoint_is_retried_then_counted_failed() -> None:
    with AlertReceiver() as gone:
        url = gone.url(PATH)
    waits = RecordedWaits()
    sink = webhook_sink(url, max_retries=2, wait=waits)
    sink.send(sample_alert())
    sink.close(10)
    assert sink.stats() == DeliveryStats(failed=1, retries=2)
    assert len(waits.seconds) == 2


class FirstAlertUnformattable:
    """A webhook service whose formatter fails on the first alert (a bug in a payload builder)."""

    def __init__(self, url: str) -> None:
        self._inner = SlackWebhook(url)
        self.label, self.destination, self.secrets = "webhook", "http://127.0.0.1", ()
        self._calls = 0

    def request(self, alert: Alert) -> HttpPost:
        self._calls += 1
        if self._calls == 1:
            raise KeyError("context")
        return self._inner.request(alert)

    def verdict(self, status: int, headers: Mapping[str, str], body: bytes) -> Verdict:
        return self._inner.verdict(status, headers, body)


def test_a_formatter_failure_counts_one_alert_failed_and_the_worker_goes_on() -> None:
    with AlertReceiver() as receiver:
        sink = HttpAlertSink(FirstAlertUnformattable(receiver.url(PATH)))
        sink.send(sample_alert("broken"))
        sink.send(sample_alert("fine"))
        sink.close(10)
    assert sink.stats() == DeliveryStats(delivered=1, failed=1)
    assert [b["rule"] for b in receiver.bodies()] == ["fine"]


def test_a_hanging_receiver_never_blocks_send() -> None:
    with AlertReceiver(Reply.hang()) as receiver:
        sink = webhook_sink(receiver.url(PATH), timeout_seconds=60, queue_size=100)
        sink.send(sample_alert("first"))
        assert receiver.wait_for(1), "the first request never arrived"
        returned = in_thread(lambda: send_all(sink, (f"a{i}" for i in range(50))))
        # The receiver still holds the first request (until `release`), yet all sends are done.
        assert returned.wait(10), "send() waited for the hanging receiver"
        assert not receiver.release.is_set()
        assert len(receiver.requests) == 1
        assert sink.stats() == DeliveryStats()
        receiver.release.set()
        assert sink.drain(20)
        sink.close(10)
    assert sink.stats() == DeliveryStats(delivered=51)


def test_a_full_queue_drops_and_counts_instead_of_blocking(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with AlertReceiver(Reply.hang()) as receiver:
        sink = webhook_sink(receiver.url(PATH), timeout_seconds=60, queue_size=2)
        sink.send(sample_alert("first"))
        assert receiver.wait_for(1)  # the worker is stuck on the first alert
        returned = in_thread(lambda: send_all(sink, "bcde"))
        assert returned.wait(10)
        assert sink.stats() == DeliveryStats(dropped=2)
        receiver.release.set()
        assert sink.drain(20)
        sink.close(10)
    assert [b["rule"] for b in receiver.bodies()] == ["first", "b", "c"]
    assert sink.stats() == DeliveryStats(delivered=3, dropped=2)
    assert "alert d dropped: queue full" in caplog.text


def test_counters_add_up_under_concurrent_senders() -> None:
    with AlertReceiver() as receiver:
        sink = webhook_sink(receiver.url(PATH), queue_size=1000)
        done = [in_thread(lambda: send_all(sink, ["halted"] * 25)) for _ in range(8)]
        assert all(event.wait(10) for event in done)
        assert sink.drain(30)
        sink.close(10)
    assert sink.stats() == DeliveryStats(delivered=200)
    assert len(receiver.requests) == 200


def test_close_delivers_what_is_queued_then_stops_the_worker() -> None:
    with AlertReceiver() as receiver:
        sink = webhook_sink(receiver.url(PATH))
        for i in range(5):
            sink.send(sample_alert(f"r{i}"))
        sink.close(10)
        assert not sink.running
        sink.send(sample_alert("late"))
    assert sink.stats() == DeliveryStats(delivered=5, dropped=1)
    assert [b["rule"] for b in receiver.bodies()] == ["r0", "r1", "r2", "r3", "r4"]


def test_close_interrupts_a_retry_wait(caplog: pytest.LogCaptureFixture) -> None:
    waits = RecordedWaits(block=True)  # really waits, on the sink's stop event
    with AlertReceiver(Reply.retry_after(50)) as receiver:
        sink = webhook_sink(receiver.url(PATH), wait=waits)
        sink.send(sample_alert())
        assert waits.entered.wait(10), "the sink never started waiting to retry"
        sink.close(0.2)
        # Without the interruption the worker would still sit in its 50 s wait.
        assert not sink.running
    assert waits.seconds == [50.0]
    assert sink.stats() == DeliveryStats(failed=1)
    assert len(receiver.requests) == 1
    assert "closed while waiting to retry" in caplog.text


def test_close_interrupts_the_default_retry_wait() -> None:
    with AlertReceiver(Reply.retry_after(50)) as receiver:
        sink = webhook_sink(receiver.url(PATH))  # the real, event-based wait
        sink.send(sample_alert())
        assert receiver.wait_for(1)
        sink.close(0.2)
        assert not still_running(sink)  # it would sleep 50 s if close could not wake it
    assert sink.stats() == DeliveryStats(failed=1)


def test_close_is_bounded_while_a_request_hangs_and_gives_up_what_is_still_queued(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with AlertReceiver(Reply.hang()) as receiver:
        sink = webhook_sink(receiver.url(PATH), timeout_seconds=60)
        sink.send(sample_alert("first"))
        assert receiver.wait_for(1)
        sink.send(sample_alert("second"))
        sink.send(sample_alert("third"))
        closed = in_thread(lambda: sink.close(0.2))
        assert closed.wait(10), "close() waited for the hanging request"
        assert still_running(sink)  # still inside the held request
        assert "still sending at close" in caplog.text
        receiver.release.set()
        sink.close(10)  # now the worker finishes the first alert and ends
        assert not still_running(sink)
    assert sink.stats() == DeliveryStats(delivered=1, failed=2)
    assert len(receiver.requests) == 1
