"""Which hosts are sandboxes, and the transport's own guard against executing on production.

A venue is production unless its host is loopback or a host its adapter names as a sandbox.
The adapter's constructor refuses `validate_only = false` on production (the first guard);
`refuse_unless_sandbox` is the second, independent one: the transport calls it for every
request that could execute, so nothing that could trade leaves for a production host,
whatever code built the request.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

import attrs

from peak_trade.domain.environment import (
    Venue,
    VenueNotAllowedError,
    is_loopback_host,
    require_safe_venue,
)


def host_of(base_url: str) -> str:
    """The host name of a base URL, lower-cased, without a trailing dot."""
    return (urlsplit(base_url).hostname or "").lower().rstrip(".")


def is_sandbox_host(host: str, sandbox_hosts: Collection[str]) -> bool:
    """Loopback or one of the venue's known sandbox hosts (exact match, never a suffix)."""
    return is_loopback_host(host) or host in sandbox_hosts


def venue_for(
    name: str, base_url: str, *, validate_only: bool, sandbox_hosts: Collection[str]
) -> Venue:
    """The Venue for `base_url`: production unless loopback or a known sandbox host."""
    host = host_of(base_url)
    return Venue(
        name=name,
        production=not is_sandbox_host(host, sandbox_hosts),
        validate_only=validate_only,
        host=host,
    )


def refuse_unless_sandbox(venue: Venue, request: str) -> None:
    """Raise VenueNotAllowedError if `request` (one that could execute) targets production."""
    try:
        require_safe_venue(attrs.evolve(venue, validate_only=False))
    except VenueNotAllowedError as exc:
        raise VenueNotAllowedError(f"{request} refused before sending: {exc}") from None
