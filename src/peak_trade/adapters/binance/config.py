"""BinanceTestnetConfig: the [exchange.binance_testnet] section as a frozen value."""

from __future__ import annotations

import enum

import attrs

MAX_RECV_WINDOW_MS = 60000  # Binance refuses a larger recvWindow


class BinanceKeyType(enum.Enum):
    """How requests are signed: an HMAC secret, or an Ed25519 private key (PEM file)."""

    HMAC = "hmac"
    ED25519 = "ed25519"


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


@attrs.frozen(kw_only=True)
class BinanceTestnetConfig:
    """Settings of the Binance Spot adapter. Holds env var *names*, never credential values.

    `validate_only = false` (the default) executes orders, which only sandbox hosts allow
    (testnet.binance.vision, demo-api.binance.com, loopback); on any other host the client
    refuses to start unless `validate_only = true` (orders then go to /api/v3/order/test).
    For Ed25519 keys, `private_key_path_env_var` names the variable that holds the path of the
    PEM file; `api_secret_env_var` may then hold the PEM's password (optional).
    """

    enabled: bool = True
    base_url: str = "https://testnet.binance.vision"
    api_key_env_var: str = "BINANCE_TESTNET_API_KEY"
    api_secret_env_var: str = "BINANCE_TESTNET_API_SECRET"  # noqa: S105 - a variable name
    key_type: BinanceKeyType = BinanceKeyType.HMAC
    private_key_path_env_var: str = "BINANCE_TESTNET_PRIVATE_KEY_PATH"
    validate_only: bool = False
    timeout_seconds: float = attrs.field(default=10.0, validator=_positive)
    max_retries: int = attrs.field(
        default=3, validator=[attrs.validators.ge(0), attrs.validators.le(10)]
    )
    recv_window_ms: int = attrs.field(
        default=5000, validator=[attrs.validators.ge(1), attrs.validators.le(MAX_RECV_WINDOW_MS)]
    )
