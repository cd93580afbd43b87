"""Every failure class, triggered over real HTTP against the loopback server."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.kraken.conftest import KEY, SECRET, START, MakeRig
from tests.support.kraken_server import Fault, KrakenLoopbackServer

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials
from peak_trade.adapters.kraken.errors import KrakenNonceError
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeProtocolError,
    ExchangeUnavailableError,
    RateLimitedError,
    UnknownSymbolError,
)

BTC_EUR = Symbol.parse("BTC/EUR")


def _assert_no_secret(exc: BaseException) -> None:
    text = f"{exc} {exc!r}"
    assert KEY not in text
    assert SECRET not in text


def test_delay_past_the_timeout_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig(timeout_seconds=0.2)
    rig.client.markets()
    rig.server.inject("Ticker", Fault.delay(1.0))
    with pytest.raises(ExchangeUnavailableError, match="Ticker") as caught:
        rig.client.ticker(BTC_EUR)
    assert "0.2" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 520])
def test_server_errors_are_unavailable(make_rig: MakeRig, status: int) -> None:
    rig = make_rig()
    rig.client.markets()
    rig.server.inject("Ticker", Fault.http_status(status))
    with pytest.raises(ExchangeUnavailableError, match=f"HTTP {status}"):
        rig.client.ticker(BTC_EUR)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault.html(), "<!DOCTYPE html>"),
        (Fault.invalid_json(), "not valid JSON"),
        (Fault.truncated_json(), "not valid JSON"),
        (Fault.missing_result(), "no 'result'"),
        (Fault.wrong_types(), "not an object"),
    ],
    ids=["html", "invalid-json", "truncated-json", "missing-result", "wrong-types"],
)
def test_unparseable_answers_are_protocol_errors_with_endpoint_and_excerpt(
    make_rig: MakeRig, fault: Fault, words: str
) -> None:
    rig = make_rig()
    rig.client.markets()
    rig.server.inject("Ticker", fault)
    with pytest.raises(ExchangeProtocolError) as caught:
        rig.client.ticker(BTC_EUR)
    assert str(caught.value).startswith("Ticker:")
    assert words in str(caught.value)
    assert len(str(caught.value)) < 400


def test_protocol_errors_on_private_calls_never_show_credentials(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.inject("Balance", Fault.html())
    with pytest.raises(ExchangeProtocolError) as caught:
        rig.client.balances()
    _assert_no_secret(caught.value)


def test_connection_closed_after_the_request_was_read_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.inject("Balance", Fault.close_connection())
    with pytest.raises(ExchangeUnavailableError, match="Balance"):
        rig.client.balances()


def test_unreachable_host_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig(base_url="http://127.0.0.1:9")
    with pytest.raises(ExchangeUnavailableError, match="could not connect"):
        rig.client.balances()


@pytest.mark.parametrize(
    ("error", "port_error"),
    [
        ("EService:Unavailable", ExchangeUnavailableError),
        ("EService:Busy", ExchangeUnavailableError),
        ("EGeneral:Internal error", ExchangeUnavailableError),
        ("EService:Throttled:1900000000", RateLimitedError),
        ("EAPI:Rate limit exceeded", RateLimitedError),
        ("EOrder:Rate limit exceeded", RateLimitedError),
        ("EGeneral:Temporary lockout", RateLimitedError),
        ("EAPI:Invalid key", ExchangeAuthError),
        ("EAPI:Invalid signature", ExchangeAuthError),
        ("EGeneral:Permission denied", ExchangeAuthError),
        ("EQuery:Unknown asset pair", UnknownSymbolError),
    ],
)
def test_each_kraken_error_string_raises_its_port_error(
    make_rig: MakeRig, error: str, port_error: type[Exception]
) -> None:
    rig = make_rig(max_retries=0)
    rig.server.inject("Balance", Fault.kraken_error(error))
    with pytest.raises(port_error) as caught:
        rig.client.balances()
    assert error in str(caught.value)
    _assert_no_secret(caught.value)


def test_wrong_secret_is_an_invalid_signature_auth_error(make_rig: MakeRig) -> None:
    wrong = KrakenCredentials.from_values(KEY, base64.b64encode(b"another secret").decode())
    rig = make_rig(credentials=wrong)
    with pytest.raises(ExchangeAuthError, match="EAPI:Invalid signature") as caught:
        rig.client.balances()
    _assert_no_secret(caught.value)


def test_unregistered_key_is_an_invalid_key_auth_error(make_rig: MakeRig) -> None:
    rig = make_rig(credentials=KrakenCredentials.from_values("unknown-key", SECRET))
    with pytest.raises(ExchangeAuthError, match="EAPI:Invalid key"):
        rig.client.balances()


def test_a_lower_nonce_than_the_key_has_seen_fails_after_one_fresh_retry(
    make_rig: MakeRig, server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    make_rig().client.balances()
    other_machine = make_rig(
        state_dir=tmp_path / "elsewhere", clock=SimulatedClock(START - timedelta(hours=1))
    )
    with pytest.raises(KrakenNonceError):
        other_machine.client.balances()
    assert server.request_counts["Balance"] == 3  # one success, one try, one fresh retry


def test_unknown_symbol_on_the_venue_names_close_matches(make_rig: MakeRig) -> None:
    rig = make_rig()
    with pytest.raises(UnknownSymbolError) as caught:
        rig.client.instrument(Symbol.parse("BTC/EURO"))
    assert "BTC/EUR" in caught.value.suggestions  # type: ignore[attr-defined]
