"""KrakenTestnetConfig: the [exchange.kraken_testnet] section as a frozen value."""

from __future__ import annotations

import enum
from pathlib import Path

import attrs


class KrakenTier(enum.Enum):
    """Kraken verification tier; decides the REST counter's maximum and decay."""

    STARTER = "starter"
    INTERMEDIATE = "intermediate"
    PRO = "pro"


@attrs.frozen(kw_only=True)
class KrakenTestnetConfig:
    """Settings of the Kraken adapter. Holds env var *names*, never credential values."""

    enabled: bool = True
    base_url: str = "https://api.kraken.com"
    api_key_env_var: str = "KRAKEN_TESTNET_API_KEY"
    api_secret_env_var: str = "KRAKEN_TESTNET_API_SECRET"  # noqa: S105 - a variable name
    validate_only: bool = True
    timeout_seconds: float = 30.0
    max_retries: int = 3
    rate_limit_ms: int = 1000
    tier: KrakenTier = KrakenTier.STARTER
    state_dir: Path = Path(".peak_trade_state")  # nonce high-water marks, one file per key
