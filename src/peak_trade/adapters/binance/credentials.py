"""Binance API credentials, read only from the environment variables named in config.

HMAC: the API key and the secret key. Ed25519: the API key, and the path of the private key's
PEM file (never the key, never the path in config; `cryptography` is imported only here and
only for Ed25519). Errors name the variable, never its value; reprs show neither.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from peak_trade.adapters.binance.config import BinanceKeyType, BinanceTestnetConfig
from peak_trade.adapters.binance.errors import BinanceCredentialsError
from peak_trade.adapters.binance.signing import Ed25519Signer, HmacSigner, RequestSigner


class BinanceCredentials:
    """An API key and the signer built from its secret or private key."""

    def __init__(
        self, api_key: str, signer: RequestSigner, *, secrets: tuple[str, ...] = ()
    ) -> None:
        if not api_key.strip():
            raise BinanceCredentialsError("the Binance API key is empty")
        self.api_key = api_key.strip()
        self.signer = signer
        self.secrets: tuple[str, ...] = (self.api_key, *(s for s in secrets if s))  # log filter

    @classmethod
    def hmac(cls, api_key: str, secret: str) -> BinanceCredentials:
        """From explicit values (tests, tools)."""
        if not secret.strip():
            raise BinanceCredentialsError("the Binance secret key is empty")
        return cls(api_key, HmacSigner(secret.strip()), secrets=(secret.strip(),))

    @classmethod
    def ed25519_pem(
        cls, api_key: str, pem: bytes, password: bytes | None = None, *, source: str = "the PEM"
    ) -> BinanceCredentials:
        """From an Ed25519 private key in PEM form (PKCS#8, optionally encrypted)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            key = load_pem_private_key(pem, password=password)
        except (ValueError, TypeError) as exc:
            raise BinanceCredentialsError(
                f"{source} is not a readable PEM private key ({type(exc).__name__})"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise BinanceCredentialsError(f"{source} holds a {type(key).__name__}, not Ed25519")
        shown = (password.decode("utf-8", errors="replace"),) if password else ()
        return cls(api_key, Ed25519Signer(key), secrets=shown)

    @classmethod
    def from_env(
        cls, config: BinanceTestnetConfig, environ: Mapping[str, str]
    ) -> BinanceCredentials:
        """Read the variables config names; every error names a variable, never a value."""
        key_var = config.api_key_env_var
        api_key = environ.get(key_var, "").strip()
        if not api_key:
            raise BinanceCredentialsError(
                f"environment variable {key_var} (the Binance API key) is not set or empty"
            )
        secret_var = config.api_secret_env_var
        secret = environ.get(secret_var, "").strip()
        if config.key_type is BinanceKeyType.HMAC:
            if not secret:
                raise BinanceCredentialsError(
                    f"environment variable {secret_var} (the Binance secret key) is not set or "
                    "empty"
                )
            return cls.hmac(api_key, secret)
        path_var = config.private_key_path_env_var
        path_text = environ.get(path_var, "").strip()
        if not path_text:
            raise BinanceCredentialsError(
                f"environment variable {path_var} (path of the Ed25519 private key PEM file) is "
                "not set or empty"
            )
        try:
            pem = Path(path_text).expanduser().read_bytes()
        except OSError as exc:
            raise BinanceCredentialsError(
                f"the file named by {path_var} cannot be read ({type(exc).__name__})"
            ) from None
        password = secret.encode("utf-8") if secret else None
        return cls.ed25519_pem(api_key, pem, password, source=f"the file named by {path_var}")

    @property
    def key_id(self) -> str:
        """Stable, non-reversible id of the key (limiter registry, logs)."""
        return hashlib.sha256(self.api_key.encode("utf-8")).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"BinanceCredentials(key_id={self.key_id}, api_key=<hidden>, signer=<hidden>)"

    __str__ = __repr__


def credentials_from_env(
    config: BinanceTestnetConfig, environ: Mapping[str, str]
) -> tuple[BinanceCredentials | None, BinanceCredentialsError | None]:
    """Credentials when the key variable is set; none set = public-only (error kept for later).

    A key without its secret (or PEM path), or an unreadable key, fails at construction: that
    is a configuration mistake, not a reason to trade without signing.
    """
    if not environ.get(config.api_key_env_var, "").strip():
        needed = (
            config.api_secret_env_var
            if config.key_type is BinanceKeyType.HMAC
            else config.private_key_path_env_var
        )
        return None, BinanceCredentialsError(
            f"Binance private endpoints need credentials: set {config.api_key_env_var} and {needed}"
        )
    return BinanceCredentials.from_env(config, environ), None


def credential_env_vars(config: BinanceTestnetConfig) -> tuple[str, ...]:
    """The environment variables this config needs for signed requests (names only)."""
    if config.key_type is BinanceKeyType.HMAC:
        return (config.api_key_env_var, config.api_secret_env_var)
    return (config.api_key_env_var, config.private_key_path_env_var)
