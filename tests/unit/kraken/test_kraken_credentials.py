from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import (
    KrakenCredentials,
    KrakenCredentialsError,
    KrakenTestnetClient,
    KrakenTestnetConfig,
)
from peak_trade.ports.errors import ExchangeAuthError

KEY = "my-very-secret-api-key-123"
SECRET = base64.b64encode(b"super secret bytes").decode()
CONFIG = KrakenTestnetConfig(api_key_env_var="MY_KEY_VAR", api_secret_env_var="MY_SECRET_VAR")


def test_reads_key_and_secret_from_the_configured_variables() -> None:
    creds = KrakenCredentials.from_env(CONFIG, {"MY_KEY_VAR": KEY, "MY_SECRET_VAR": SECRET})
    assert creds.api_key == KEY
    assert creds.secret == b"super secret bytes"


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"MY_SECRET_VAR": SECRET}, "MY_KEY_VAR"),
        ({"MY_KEY_VAR": "", "MY_SECRET_VAR": SECRET}, "MY_KEY_VAR"),
        ({"MY_KEY_VAR": KEY}, "MY_SECRET_VAR"),
        ({"MY_KEY_VAR": KEY, "MY_SECRET_VAR": "   "}, "MY_SECRET_VAR"),
        ({"MY_KEY_VAR": KEY, "MY_SECRET_VAR": "not base64 at all!!"}, "MY_SECRET_VAR"),
    ],
)
def test_missing_empty_or_malformed_credentials_name_the_variable_only(
    environ: dict[str, str], variable: str
) -> None:
    with pytest.raises(KrakenCredentialsError) as caught:
        KrakenCredentials.from_env(CONFIG, environ)
    assert isinstance(caught.value, ExchangeAuthError)
    assert variable in str(caught.value)
    for value in environ.values():
        if value.strip():
            assert value not in str(caught.value)


def test_repr_and_str_hide_key_and_secret() -> None:
    creds = KrakenCredentials.from_values(KEY, SECRET)
    for text in (repr(creds), str(creds), f"{creds}"):
        assert KEY not in text
        assert SECRET not in text
        assert "super secret" not in text


def test_client_without_any_credentials_refuses_private_calls_naming_the_variables() -> None:
    client = KrakenTestnetClient(
        KrakenTestnetConfig(base_url="http://127.0.0.1:9", validate_only=True),
        SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)),
        environ={},
    )
    with pytest.raises(KrakenCredentialsError) as caught:
        client.balances()
    assert "KRAKEN_TESTNET_API_KEY" in str(caught.value)
    client.close()


def test_client_with_a_malformed_secret_fails_at_construction() -> None:
    with pytest.raises(KrakenCredentialsError, match="MY_SECRET_VAR"):
        KrakenTestnetClient(
            CONFIG,
            SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)),
            environ={"MY_KEY_VAR": KEY, "MY_SECRET_VAR": "%%%"},
        )
