"""Kraken API credentials, read only from the environment variables named in config."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping

import attrs

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.kraken.errors import KrakenCredentialsError


@attrs.frozen(repr=False, eq=False)
class KrakenCredentials:
    """An API key and its decoded secret. repr/str never show either value."""

    api_key: str
    secret: bytes

    @classmethod
    def from_env(cls, config: KrakenTestnetConfig, environ: Mapping[str, str]) -> KrakenCredentials:
        """Read the key and secret from the variables named by config; errors name variables."""
        key_var, secret_var = config.api_key_env_var, config.api_secret_env_var
        api_key = environ.get(key_var, "").strip()
        if not api_key:
            raise KrakenCredentialsError(
                f"environment variable {key_var} (the Kraken API key) is not set or empty"
            )
        secret_text = environ.get(secret_var, "").strip()
        if not secret_text:
            raise KrakenCredentialsError(
                f"environment variable {secret_var} (the Kraken API secret) is not set or empty"
            )
        return cls(api_key=api_key, secret=decode_secret(secret_text, secret_var))

    @classmethod
    def from_values(cls, api_key: str, secret_b64: str) -> KrakenCredentials:
        """Build from explicit values (tests, tools); the secret must be base64."""
        if not api_key.strip():
            raise KrakenCredentialsError("the Kraken API key is empty")
        return cls(api_key=api_key.strip(), secret=decode_secret(secret_b64, "the API secret"))

    @property
    def key_id(self) -> str:
        """Stable, non-reversible id of the key (nonce files, limiter registry)."""
        return hashlib.sha256(self.api_key.encode("utf-8")).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"KrakenCredentials(key_id={self.key_id}, api_key=<hidden>, secret=<hidden>)"

    __str__ = __repr__


def decode_secret(text: str, source: str) -> bytes:
    """Decode a base64 API secret; the error names `source`, never the value."""
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KrakenCredentialsError(
            f"{source} is not valid base64 (Kraken API secrets are base64 strings)"
        ) from None
    if not secret:
        raise KrakenCredentialsError(f"{source} decodes to an empty secret")
    return secret
