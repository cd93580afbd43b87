"""Credentials only from the variables config names; errors and reprs never show values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceCredentialsError,
    BinanceKeyType,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.binance.credentials import credential_env_vars, credentials_from_env
from peak_trade.adapters.binance.signing import Ed25519Signer, HmacSigner
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.ports.errors import ExchangeAuthError

KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
CONFIG = BinanceTestnetConfig(
    api_key_env_var="MY_KEY", api_secret_env_var="MY_SECRET", private_key_path_env_var="MY_PEM"
)
ED_CONFIG = BinanceTestnetConfig(
    api_key_env_var="MY_KEY",
    api_secret_env_var="MY_SECRET",
    private_key_path_env_var="MY_PEM",
    key_type=BinanceKeyType.ED25519,
)


def _pem(tmp_path: Path, password: bytes | None = None) -> Path:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path = tmp_path / "test-prv-key.pem"
    path.write_bytes(pem)
    return path


def test_hmac_credentials_come_from_the_named_variables() -> None:
    creds = BinanceCredentials.from_env(CONFIG, {"MY_KEY": KEY, "MY_SECRET": SECRET})
    assert creds.api_key == KEY
    assert isinstance(creds.signer, HmacSigner)
    assert SECRET in creds.secrets  # registered with the log filter


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"MY_SECRET": SECRET}, "MY_KEY"),
        ({"MY_KEY": "  ", "MY_SECRET": SECRET}, "MY_KEY"),
        ({"MY_KEY": KEY}, "MY_SECRET"),
        ({"MY_KEY": KEY, "MY_SECRET": " "}, "MY_SECRET"),
    ],
)
def test_missing_values_name_the_variable_only(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(BinanceCredentialsError) as caught:
        BinanceCredentials.from_env(CONFIG, environ)
    assert isinstance(caught.value, ExchangeAuthError)
    assert variable in str(caught.value)
    for value in environ.values():
        if value.strip():
            assert value not in str(caught.value)


def test_ed25519_key_is_read_from_the_pem_file_the_variable_names(tmp_path: Path) -> None:
    path = _pem(tmp_path)
    creds = BinanceCredentials.from_env(ED_CONFIG, {"MY_KEY": KEY, "MY_PEM": str(path)})
    assert isinstance(creds.signer, Ed25519Signer)


def test_an_encrypted_pem_takes_its_password_from_the_secret_variable(tmp_path: Path) -> None:
    path = _pem(tmp_path, b"pem-password-123")
    environ = {"MY_KEY": KEY, "MY_PEM": str(path), "MY_SECRET": "pem-password-123"}
    creds = BinanceCredentials.from_env(ED_CONFIG, environ)
    assert isinstance(creds.signer, Ed25519Signer)
    assert "pem-password-123" in creds.secrets
    with pytest.raises(BinanceCredentialsError, match="MY_PEM") as caught:
        BinanceCredentials.from_env(ED_CONFIG, {**environ, "MY_SECRET": "wrong-password"})
    assert "wrong-password" not in str(caught.value)


@pytest.mark.parametrize("content", [b"not a pem", b""])
def test_unreadable_or_bad_pem_names_the_variable_not_the_path(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "secret-location" / "key.pem"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(BinanceCredentialsError, match="MY_PEM") as caught:
        BinanceCredentials.from_env(ED_CONFIG, {"MY_KEY": KEY, "MY_PEM": str(path)})
    assert "secret-location" not in str(caught.value)
    missing = {"MY_KEY": KEY, "MY_PEM": str(tmp_path / "nowhere.pem")}
    with pytest.raises(BinanceCredentialsError, match="MY_PEM") as gone:
        BinanceCredentials.from_env(ED_CONFIG, missing)
    assert "nowhere" not in str(gone.value)


def test_an_rsa_or_other_key_type_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

    pem = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(BinanceCredentialsError, match="not Ed25519"):
        BinanceCredentials.ed25519_pem(KEY, pem)


def test_repr_and_str_hide_key_and_secret() -> None:
    creds = BinanceCredentials.hmac(KEY, SECRET)
    for text in (repr(creds), str(creds), f"{creds}"):
        assert KEY not in text
        assert SECRET not in text


def test_no_key_variable_means_public_only_with_the_error_kept_for_later() -> None:
    creds, missing = credentials_from_env(CONFIG, {})
    assert creds is None
    assert missing is not None
    assert "MY_KEY" in str(missing)
    assert "MY_SECRET" in str(missing)


def test_client_without_credentials_refuses_private_calls_naming_the_variables() -> None:
    config = BinanceTestnetConfig(base_url="http://127.0.0.1:9")
    with (
        BinanceTestnetClient(
            config, SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)), environ={}
        ) as client,
        pytest.raises(BinanceCredentialsError) as caught,
    ):
        client.balances()
    assert "BINANCE_TESTNET_API_KEY" in str(caught.value)
    assert "BINANCE_TESTNET_API_SECRET" in str(caught.value)


def test_a_key_without_its_secret_fails_at_construction() -> None:
    with pytest.raises(BinanceCredentialsError, match="MY_SECRET"):
        BinanceTestnetClient(
            CONFIG, SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)), environ={"MY_KEY": KEY}
        )


def test_the_needed_variables_follow_the_key_type() -> None:
    assert credential_env_vars(CONFIG) == ("MY_KEY", "MY_SECRET")
    assert credential_env_vars(ED_CONFIG) == ("MY_KEY", "MY_PEM")
