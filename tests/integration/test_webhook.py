"""WebhookAlertSink against a webhook receiver on loopback: payload, failures, a hanging hook."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink
from peak_trade.app.alerting import AlertEngine, SessionObservation
from peak_trade.app.config import AlertRuleConfig, AlertsConfig
from peak_trade.ports.alerts import Alert, AlertLevel

SECRET_PATH = "/services/T0001/B0002/SECRETTOKEN42"


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records JSON bodies; can answer an error or hang."""

    def __init__(self, *, status: int = 200, hang: bool = False) -> None:
        self.status = status
        self.hang = hang
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.arrived = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                receiver.paths.append(self.path)
                receiver.arrived.set()
                if receiver.hang:
                    receiver.release.wait(30)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET_PATH}?token=abc"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def make_alert(rule: str = "halted") -> Alert:
    return Alert(
        ts=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        level=AlertLevel.CRITICAL,
        rule=rule,
        message="trading halted: max_daily_loss_abs",
        context={"reason": "max_daily_loss_abs", "equity": Decimal("9400.5")},
    )


def halted_observation() -> SessionObservation:
    return SessionObservation(
        now=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        equity=Decimal(10000),
        start_equity=Decimal(10000),
        peak_equity=Decimal(10000),
        daily_pnl=Decimal(0),
        drawdown_pct=Decimal(0),
        consecutive_exchange_errors=0,
        last_closed_candle_time=None,
        timeframe_seconds=60,
        trading_state="halted",
        halt_reason="max_daily_loss_abs",
    )


def halted_only_config() -> AlertsConfig:
    return AlertsConfig(
        min_level=AlertLevel.INFO,
        rules={"halted": AlertRuleConfig(level=AlertLevel.CRITICAL)},
    )


def test_receiver_gets_slack_text_and_structured_fields(receiver: Receiver) -> None:
    sink = WebhookAlertSink(receiver.url, timeout_seconds=5, extra_fields={"run_id": "r1"})
    sink.send(make_alert())
    assert sink.drain(10)
    sink.close()
    [body] = receiver.bodies
    assert body == {
        "text": "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "ts": "2026-01-05T12:00:00Z",
        "level": "critical",
        "rule": "halted",
        "message": "trading halted: max_daily_loss_abs",
        "context": {"reason": "max_daily_loss_abs", "equity": "9400.5"},
        "run_id": "r1",
    }
    assert receiver.paths == [f"{SECRET_PATH}?token=abc"]
    assert (sink.sent, sink.failed, sink.dropped) == (1, 0, 0)


def test_engine_delivers_fired_alerts_to_the_webhook(receiver: Receiver) -> None:
    sink = WebhookAlertSink(receiver.url, timeout_seconds=5)
    engine = AlertEngine(halted_only_config(), [sink])
    engine.observe(halted_observation())
    assert sink.drain(10)
    engine.close()
    assert [b["rule"] for b in receiver.bodies] == ["halted"]


def test_failed_delivery_is_counted_and_logged_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with Receiver(status=500) as failing:
        sink = WebhookAlertSink(failing.url, timeout_seconds=5)
        sink.send(make_alert())
        assert sink.drain(10)
        sink.close()
    assert (sink.sent, sink.failed) == (0, 1)
    host = failing.url.split(SECRET_PATH)[0]
    assert f"webhook {host}: alert halted not delivered (HTTP 500)" in caplog.text
    assert "SECRETTOKEN42" not in caplog.text
    assert "token=abc" not in caplog.text


def test_unreachable_webhook_is_counted_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with Receiver() as closed:
        url = closed.url
    sink = WebhookAlertSink(url, timeout_seconds=2)
    sink.send(make_alert())
    assert sink.drain(10)
    assert sink.failed == 1
    assert "SECRETTOKEN42" not in caplog.text


def test_a_hanging_webhook_does_not_block_observe() -> None:
    with Receiver(hang=True) as hanging:
        sink = WebhookAlertSink(hanging.url, timeout_seconds=60)
        engine = AlertEngine(halted_only_config(), [sink])
        returned = threading.Event()
        fired: list[Alert] = []

        def session_step() -> None:
            fired.extend(engine.observe(halted_observation()))
            returned.set()

        threading.Thread(target=session_step, daemon=True).start()
        assert hanging.arrived.wait(10), "the webhook request never arrived"
        # The receiver still holds the request open (it waits for `release`), yet observe is done.
        assert returned.wait(10), "observe() waited for the hanging webhook"
        assert not hanging.release.is_set()
        assert [a.rule for a in fired] == ["halted"]
        hanging.release.set()
        assert sink.drain(10)
        assert sink.sent == 1


def test_a_full_queue_drops_and_counts_instead_of_blocking() -> None:
    with Receiver(hang=True) as hanging:
        sink = WebhookAlertSink(hanging.url, timeout_seconds=60, queue_size=1)
        sink.send(make_alert("first"))
        assert hanging.arrived.wait(10)  # the worker is stuck on the first alert
        sink.send(make_alert("second"))  # fills the queue
        sink.send(make_alert("third"))  # dropped
        assert sink.dropped == 1
        hanging.release.set()
        assert sink.drain(10)
        assert [b["rule"] for b in hanging.bodies] == ["first", "second"]
