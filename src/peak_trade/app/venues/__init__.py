"""The venue registry: every exchange a session can use, by the name config and CLI use.

A venue is one adapter package plus one `VenueSpec` here: how to read its
`[exchange.<name>]` section, which credential variables it needs, what its venue policy is
(the early safety check, before any network or credential work), whether it replays candle
files, and how to build its ExchangePort. The CLI's `--exchange` choices, config validation
and the container's exchange provider all derive from this registry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from peak_trade.domain.environment import Venue
from peak_trade.domain.symbols import Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.exchange import ExchangePort
from peak_trade.ports.replay import CandleFilesPort

if TYPE_CHECKING:
    from peak_trade.app.config.reader import TableReader
    from peak_trade.app.plan import SessionPlan


class VenueSettings(Protocol):
    """What every `[exchange.<name>]` section holds besides its venue's own keys."""

    @property
    def enabled(self) -> bool: ...

    @property
    def validate_only(self) -> bool: ...


@attrs.frozen(kw_only=True)
class VenueBuild:
    """Everything a venue factory may use to build its ExchangePort."""

    settings: Any  # the venue's own settings type (VenueSpec.read_settings made it)
    clock: ClockPort
    environ: Mapping[str, str]
    plan: SessionPlan | None  # None outside a session (market data, benchmarks)


@attrs.frozen(kw_only=True)
class VenueSpec:
    """One venue: config section reader, policy, credentials, and its ExchangePort factory."""

    name: str
    description: str
    read_settings: Callable[[TableReader], VenueSettings]
    venue: Callable[[Any], Venue]  # the venue policy from settings alone: no network
    credential_vars: Callable[[Any], tuple[str, ...]]  # env var names; () when none needed
    credentials_help: str = ""  # where keys come from and which permissions they need
    # the candle timeframes the venue serves, known without a network call (() = any)
    timeframes: Callable[[Any], tuple[Timeframe, ...]] = lambda _settings: ()
    # a venue that replays candle files (--replay) reads them with this; None: a live venue
    candle_files: Callable[[], CandleFilesPort] | None = None
    # orders live outside this process (a real venue): each order event is fsynced before the
    # session goes on; False (the in-memory venue): the run log is made durable at heartbeats
    orders_outside_process: bool = True
    build: Callable[[VenueBuild], ExchangePort]

    def default_settings(self) -> VenueSettings:
        """The settings of a config file without this venue's section."""
        from peak_trade.app.config.reader import TableReader

        return self.read_settings(TableReader("", f"exchange.{self.name}", {}))


class VenueRegistry:
    """The venues a command line or an embedding tool can use, by name (immutable).

    `builtin_venues()` holds the venues shipped here; `with_venue(spec)` returns a registry
    with one more, so a tool (or a test) adds a venue without changing anything global.
    """

    def __init__(self, specs: Iterable[VenueSpec]) -> None:
        self._specs: dict[str, VenueSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"a venue named {spec.name!r} is registered already")
            self._specs[spec.name] = spec

    def __iter__(self) -> Iterator[VenueSpec]:
        return iter(self._specs.values())

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def names(self) -> tuple[str, ...]:
        """The names `--exchange` and `[exchange.<name>]` accept, in registry order."""
        return tuple(self._specs)

    def get(self, name: str) -> VenueSpec:
        """The venue called `name`; ValueError naming the known ones otherwise."""
        spec = self._specs.get(name)
        if spec is None:
            raise ValueError(f"unknown exchange {name!r}; known: {', '.join(self._specs)}")
        return spec

    def with_venue(self, spec: VenueSpec) -> VenueRegistry:
        """A new registry with `spec` added after the venues of this one."""
        return VenueRegistry([*self, spec])


@functools.cache
def builtin_venues() -> VenueRegistry:
    """The venues this package ships: Kraken (validate-only), the Binance Spot Testnet and the
    in-memory replay venue."""
    from peak_trade.app.venues.binance import BINANCE_TESTNET
    from peak_trade.app.venues.in_memory import IN_MEMORY
    from peak_trade.app.venues.kraken import KRAKEN_TESTNET

    return VenueRegistry([KRAKEN_TESTNET, BINANCE_TESTNET, IN_MEMORY])
