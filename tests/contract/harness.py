"""VenueHarness: what the ExchangePort contract suite needs from each venue under test."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.exchange import ExchangePort


class VenueHarness(Protocol):
    """One venue, ready for the contract tests.

    - `exchange`: the adapter under test, built with `validate_only` as given.
    - `symbol`: a market the venue lists (BTC/EUR) with closed candle history and a price.
    - `unknown_symbol`: a well-formed symbol the venue does not list.
    - `timeframe`: the candle timeframe the venue serves for `symbol` without aggregation.
    - `advance(seconds)`: move venue time and market data forward by at least `seconds`.
    """

    @property
    def name(self) -> str: ...

    @property
    def exchange(self) -> ExchangePort: ...

    @property
    def symbol(self) -> Symbol: ...

    @property
    def unknown_symbol(self) -> Symbol: ...

    @property
    def timeframe(self) -> Timeframe: ...

    @property
    def validate_only(self) -> bool: ...

    def advance(self, seconds: float) -> None: ...


HarnessFactory = Callable[[bool], AbstractContextManager[VenueHarness]]
