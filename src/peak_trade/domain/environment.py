"""Environment and venue policy: only testnet trades, production venues only validate."""

from __future__ import annotations

import enum
import ipaddress

import attrs


class TradingEnvironment(enum.Enum):
    PAPER = "paper"
    TESTNET = "testnet"
    LIVE = "live"


class SafetyRefusal(Exception):
    """A safety guard refused to proceed (environment or venue). CLI exit code 3."""


class EnvironmentNotTestnetError(SafetyRefusal):
    """Raised when a testnet-only component is used outside the testnet environment."""


class VenueNotAllowedError(SafetyRefusal):
    """Raised when a production venue would be allowed to execute orders."""


@attrs.frozen(kw_only=True)
class EnvironmentConfig:
    """The trading environment a component runs in."""

    environment: TradingEnvironment = TradingEnvironment.TESTNET


@attrs.frozen(kw_only=True)
class Venue:
    """Where orders go. `production` venues may only validate, never execute."""

    name: str
    production: bool
    validate_only: bool
    host: str = ""


def require_testnet(env: EnvironmentConfig, component: str) -> None:
    """Refuse anything but testnet: paper and live both raise EnvironmentNotTestnetError."""
    if env.environment is not TradingEnvironment.TESTNET:
        raise EnvironmentNotTestnetError(
            f"{component} runs only in the testnet environment, but [environment] mode is "
            f'{env.environment.value!r}. Set mode = "testnet"; live trading is not part of '
            "this package."
        )


def require_safe_venue(venue: Venue) -> None:
    """Refuse a production venue that is not validate-only (fail closed)."""
    if venue.production and not venue.validate_only:
        where = f" ({venue.host})" if venue.host else ""
        raise VenueNotAllowedError(
            f"venue {venue.name}{where} is a production exchange and validate_only is false: "
            "that would place real orders. Testnet sessions on production venues must use "
            "validate_only = true; only sandbox venues (in-memory, loopback) can fill orders."
        )


def is_loopback_host(host: str) -> bool:
    """True for localhost and the loopback ranges 127.0.0.0/8 and ::1."""
    h = host.strip().lower().strip("[]").rstrip(".")
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False
