"""AccountWatch: the venue account behind a session whose orders really execute (issue 13).

On an executing venue (the Binance Spot Testnet) the session trades real, if virtual, funds:
- at the start it reads the account's balances (free + locked) of the assets it trades, and
  refuses (exit code 2) a `start_balance` that the free quote balance does not cover;
- at every heartbeat it looks for a testnet reset - Binance erases every order and refills
  the balances about once a month, without notice: an order this session placed is gone
  (-2013), or the traded assets no longer hold their start balance plus the session's own
  fills. A reset is reported (an `error` event of kind `venue_reset`; the alert engine's
  `venue_reset` rule sends it to every sink) and the session goes on from the new balances;
- at the end it reads the balances again (`session_ended`, summary.json).
Validate-only venues, and venues that report no free/locked balances, are not watched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from peak_trade.app.errors import ConfigError
from peak_trade.app.session.core import TradingCore
from peak_trade.domain.decimals import ZERO, format_decimal
from peak_trade.domain.ids import client_order_id
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeError
from peak_trade.ports.events import EventLogPort, EventType
from peak_trade.ports.exchange import ExchangePort

_log = logging.getLogger(__name__)
TOLERANCE = Decimal("0.000001")  # venue rounding; a reset moves balances by whole trades
PROBES_PER_CHECK = 4  # order lookups spent per heartbeat looking for an order of ours

Balances = dict[str, dict[str, Decimal]]  # asset -> {"free": ..., "locked": ...}


class AssetAmounts(Protocol):
    """Free and locked amounts of one asset."""

    @property
    def free(self) -> Decimal: ...

    @property
    def locked(self) -> Decimal: ...


@runtime_checkable
class AccountBalancesPort(Protocol):
    """An exchange that reports free and locked balances (the Binance adapter)."""

    def balance_details(self) -> Mapping[str, AssetAmounts]: ...


class InsufficientCapitalError(ConfigError):
    """start_balance is more than the account's free quote balance (exit code 2)."""


class AccountWatch:
    """Reads the venue account at start, heartbeats and the end; see the module docstring."""

    def __init__(
        self,
        *,
        account: AccountBalancesPort | None,
        exchange: ExchangePort,
        core: TradingCore,
        portfolio: Portfolio,
        events: EventLogPort,
    ) -> None:
        self._account = account
        self._exchange = exchange
        self._core = core
        self._portfolio = portfolio
        self._events = events
        symbols = tuple(core.books)
        self._symbols = symbols
        self._quote = symbols[0].quote
        self._assets = tuple(dict.fromkeys(a for s in symbols for a in (s.base, s.quote)))
        self.start: Balances | None = None
        self.end: Balances | None = None
        self.resets = 0
        self.last_reset = ""  # the latest reset's message (the `venue_reset` alert says it)
        self._start_error: ExchangeError | None = None
        self._baseline: dict[str, Decimal] = {}
        self._positions: dict[Symbol, Decimal] = {}
        self._cash = portfolio.cash
        self._fees = portfolio.fees_paid
        self._witness: tuple[Symbol, str] | None = None
        self._tried: set[tuple[Symbol, int]] = set()
        self._first_number = 1  # orders numbered below this predate the last reset

    @classmethod
    def of(
        cls, exchange: ExchangePort, core: TradingCore, portfolio: Portfolio, events: EventLogPort
    ) -> AccountWatch:
        """A watch for an executing venue that reports balances; an idle one otherwise."""
        executes = not exchange.venue.validate_only
        account = exchange if executes and isinstance(exchange, AccountBalancesPort) else None
        return cls(
            account=account, exchange=exchange, core=core, portfolio=portfolio, events=events
        )

    @property
    def active(self) -> bool:
        return self._account is not None

    # --- the session's hooks ---------------------------------------------------------------
    def opening(self) -> dict[str, Any]:
        """`session_started` fields: the balances at start (a failed read is raised later, by
        `require_capital`, inside the run)."""
        if self._account is None:
            return {}
        try:
            self.start = self._read()
        except ExchangeError as exc:
            self._start_error = exc
            return {"account_balances": None}
        self._rebase(self.start)
        return {"account_balances": self.start}

    def require_capital(self) -> None:
        """Refuse a start_balance that the account's free quote balance does not cover."""
        if self._start_error is not None:
            raise self._start_error
        if self._account is None or self.start is None:
            return  # not watched, or a resumed run: its capital was checked when it started
        wanted = self._portfolio.start_equity
        held = self.start[self._quote]
        if held["free"] < wanted:
            venue = self._exchange.venue
            raise InsufficientCapitalError(
                f"{format_decimal(wanted)} {self._quote} is more than the free "
                f"{self._quote} balance of the {venue.name} account ({venue.host}): "
                f"{format_decimal(held['free'])} free, {format_decimal(held['locked'])} locked "
                "by open orders. Lower start_balance, or free funds on the account (a testnet "
                "reset refills them).",
                section="testnet_session",
                key="start_balance",
            )

    def heartbeat(self) -> None:
        """Look for a testnet reset; report one and go on from the new balances."""
        if self._account is None:
            return
        try:
            balances = self._read()
            if not self._baseline:  # a resumed run: what the account holds now is the start
                self._rebase(balances)
                return
            finding = self._vanished_order() or self._balance_jump(balances)
        except ExchangeError as exc:  # checked again at the next heartbeat
            _log.warning("account check failed: %s: %s", type(exc).__name__, exc)
            return
        if finding is not None:
            self._report(finding, balances)
            self._rebase(balances)

    def closing(self) -> dict[str, Any]:
        """`session_ended` fields: the balances at the end (None when they cannot be read)."""
        if self._account is None:
            return {}
        try:
            self.end = self._read()
        except ExchangeError as exc:
            _log.warning("account balances at the end: %s: %s", type(exc).__name__, exc)
        return {"account_balances": self.end}

    def summary_fields(self) -> dict[str, Any]:
        """summary.json fields: balances at start and end."""
        if self._account is None:
            return {}
        return {"account_balances": {"start": self.start, "end": self.end}}

    # --- internals -------------------------------------------------------------------------
    def _read(self) -> Balances:
        assert self._account is not None
        details = self._account.balance_details()
        balances: Balances = {}
        for asset in self._assets:
            amounts = details.get(asset)
            free, locked = (amounts.free, amounts.locked) if amounts else (ZERO, ZERO)
            balances[asset] = {"free": free, "locked": locked}
        return balances

    def _rebase(self, balances: Balances) -> None:
        """Expect from now on: these balances plus whatever the ledger books after them."""
        self._baseline = {a: b["free"] + b["locked"] for a, b in balances.items()}
        self._positions = {s: self._portfolio.quantity(s) for s in self._symbols}
        self._cash, self._fees = self._portfolio.cash, self._portfolio.fees_paid
        self._witness = None
        self._tried.clear()
        self._first_number = self._core.trader.next_order_number

    def _vanished_order(self) -> str | None:
        """An order of this session that the venue knew and now does not: a reset."""
        if self._witness is None:
            self._witness = self._find_witness()
            return None
        symbol, cid = self._witness
        if self._exchange.find_order(symbol, cid) is not None:
            return None
        return (
            f"order {cid} on {symbol}, which this session placed and the venue accepted, no "
            "longer exists there"
        )

    def _find_witness(self) -> tuple[Symbol, str] | None:
        """Newest orders first: one the venue still knows proves later that nothing vanished."""
        traded = [s for s, c in self._core.orders_by_symbol().items() if c.accepted]
        budget = PROBES_PER_CHECK
        for number in range(self._core.trader.next_order_number - 1, self._first_number - 1, -1):
            for symbol in traded:
                if budget == 0:
                    return None
                if (symbol, number) in self._tried:
                    continue
                self._tried.add((symbol, number))
                budget -= 1
                cid = client_order_id(self._events.run_id, number)
                state = self._exchange.find_order(symbol, cid)
                # Binance archives cancelled orders without fills after 90 days; filled stay
                if state is not None and state.filled_quantity > 0:
                    return symbol, cid
        return None

    def _balance_jump(self, balances: Balances) -> str | None:
        """A traded asset whose balance is not its start plus the ledger's own changes."""
        expected = dict(self._baseline)
        for symbol in self._symbols:
            moved = self._portfolio.quantity(symbol) - self._positions.get(symbol, ZERO)
            expected[symbol.base] += moved
        if all(s.quote == self._quote for s in self._symbols):  # the ledger's cash currency
            expected[self._quote] += self._portfolio.cash - self._cash
        # A fee charged in a third asset (BNB) left the ledger's cash, not the quote balance.
        fee_room = self._portfolio.fees_paid - self._fees
        for asset, want in expected.items():
            have = balances[asset]["free"] + balances[asset]["locked"]
            high = fee_room if asset == self._quote else ZERO
            if not -TOLERANCE <= have - want <= high + TOLERANCE:
                return (
                    f"the account holds {format_decimal(have)} {asset} where its balance at "
                    f"the last check plus this session's fills gives {format_decimal(want)}"
                )
        return None

    def _report(self, finding: str, balances: Balances) -> None:
        self.resets += 1
        venue = self._exchange.venue
        message = (
            f"{venue.name} account changed outside this session: {finding}. The testnet was "
            "probably reset (it erases every order and refills balances about monthly); the "
            "session goes on from the new balances, its ledger unchanged"
        )
        _log.warning("venue reset: %s", message)
        self.last_reset = message
        self._events.append(
            EventType.ERROR,
            {
                "error": "VenueReset",
                "kind": "venue_reset",
                "message": message,
                "fatal": False,
                "account_balances": balances,
                "venue": venue.name,
                "host": venue.host,
                "finding": finding,
            },
        )
