"""The loopback server itself: what it accepts and refuses, as Binance documents it."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest
from tests.integration.binance.conftest import KEY, SECRET
from tests.support.binance_server import BinanceLoopbackServer

from peak_trade.adapters.binance.signing import encode_params, hmac_signature


def _now_ms(server: BinanceLoopbackServer) -> str:
    return str(server.now_ms())


def _signed(query: list[tuple[str, str]], body: list[tuple[str, str]]) -> tuple[str, str]:
    q, b = encode_params(query), encode_params(body)
    return q, f"{b}&signature={hmac_signature(SECRET, q + b)}"


def test_a_signature_over_query_plus_body_is_accepted(server: BinanceLoopbackServer) -> None:
    query = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC")]
    body = [("quantity", "0.001"), ("price", "50000"), ("timestamp", _now_ms(server))]
    q, b = _signed(query, body)
    answer = httpx.post(
        f"{server.base_url}/api/v3/order?{q}",
        content=b,
        headers={"X-MBX-APIKEY": KEY, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "NEW"
    assert answer.headers["X-MBX-USED-WEIGHT-1M"]


def test_a_non_ascii_symbol_signed_after_percent_encoding_is_accepted(
    server: BinanceLoopbackServer,
) -> None:
    params = [("symbol", "这是测试币456"), ("orderId", "1"), ("timestamp", _now_ms(server))]
    payload = encode_params(params)
    signature = hmac_signature(SECRET, payload)
    answer = httpx.get(
        f"{server.base_url}/api/v3/order?{payload}&signature={signature}",
        headers={"X-MBX-APIKEY": KEY},
    )
    assert answer.json() == {"code": -2013, "msg": "Order does not exist."}  # signature ok


def test_a_payload_signed_before_percent_encoding_is_refused(
    server: BinanceLoopbackServer,
) -> None:
    params = [("symbol", "这是测试币456"), ("orderId", "1"), ("timestamp", _now_ms(server))]
    raw = "&".join(f"{k}={v}" for k, v in params)
    answer = httpx.get(
        f"{server.base_url}/api/v3/order?{encode_params(params)}"
        f"&signature={hmac_signature(SECRET, raw)}",
        headers={"X-MBX-APIKEY": KEY},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == -1022


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([("recvWindow", "60001")], -1102),
        ([("recvWindow", "5000")], None),
    ],
)
def test_recv_window_above_sixty_seconds_is_refused(
    server: BinanceLoopbackServer, extra: list[tuple[str, str]], code: int | None
) -> None:
    params = [*extra, ("timestamp", _now_ms(server))]
    payload = encode_params(params)
    answer = httpx.get(
        f"{server.base_url}/api/v3/account?{payload}&signature={hmac_signature(SECRET, payload)}",
        headers={"X-MBX-APIKEY": KEY},
    )
    if code is None:
        assert answer.status_code == 200
    else:
        assert answer.json()["code"] == code


@pytest.mark.parametrize(("offset_ms", "fragment"), [(1500, "ahead"), (-6000, "outside")])
def test_timestamps_outside_the_window_are_minus_1021(
    server: BinanceLoopbackServer, offset_ms: int, fragment: str
) -> None:
    params = [("timestamp", str(server.now_ms() + offset_ms))]
    payload = encode_params(params)
    answer = httpx.get(
        f"{server.base_url}/api/v3/account?{payload}&signature={hmac_signature(SECRET, payload)}",
        headers={"X-MBX-APIKEY": KEY},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == -1021
    assert fragment in answer.json()["msg"]


def test_a_missing_key_header_is_minus_2014_with_http_401(server: BinanceLoopbackServer) -> None:
    answer = httpx.get(f"{server.base_url}/api/v3/account?timestamp=1&signature=x")
    assert answer.status_code == 401
    assert answer.json()["code"] == -2014


def test_exceeding_the_weight_limit_is_a_429_with_retry_after(
    server: BinanceLoopbackServer,
) -> None:
    server.other_weight = 5999
    answer = httpx.get(f"{server.base_url}/api/v3/ticker/price?symbol=BTCUSDT")
    assert answer.status_code == 429
    assert answer.json()["code"] == -1003
    assert 1 <= int(answer.headers["Retry-After"]) <= 60


def test_each_keep_alive_response_arrives_headers_and_body_together(
    server: BinanceLoopbackServer,
) -> None:
    request = b"GET /api/v3/time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for _ in range(8):  # past TCP's quick-ACK start, where delayed ACKs begin
            sock.sendall(request)
            head, _, body = sock.recv(65536).partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            assert length > 0
            assert len(body) == length


def test_the_market_clock_can_follow_an_injected_time_source() -> None:
    now = [1000.0]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with BinanceLoopbackServer(start=start, time_source=lambda: now[0]) as server:
        first = server.now_ms()
        now[0] += 90
        assert server.now_ms() - first == 90_000
