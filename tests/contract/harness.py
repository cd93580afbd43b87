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

    name: str
    exchange: ExchangePort
    symbol: Symbol
    unknown_symbol: Symbol
    timeframe: Timeframe
    validate_only: bool

    def advance(self, seconds: float) -> None: ...


HarnessFactory = Callable[[bool], AbstractContextManager[VenueHarness]]
