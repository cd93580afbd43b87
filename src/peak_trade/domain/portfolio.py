"""The portfolio ledger: cash, positions, fees, realized/unrealized PnL, equity, drawdown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, getcontext

import attrs

from peak_trade.domain.decimals import ZERO, format_decimal, to_decimal
from peak_trade.domain.orders import Fill
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import require_utc

_DAY = timedelta(days=1)
_DEEPEST_COVERED = Decimal(1000)  # percent; a drawdown beyond it is always worked out


@attrs.frozen(kw_only=True)
class Position:
    """A signed position (long > 0, short < 0) with its average entry price."""

    symbol: Symbol
    quantity: Decimal
    average_price: Decimal

    def unrealized_pnl(self, mark: Decimal) -> Decimal:
        return (mark - self.average_price) * self.quantity


@attrs.define
class Portfolio:
    """A single-currency ledger (quote = base currency) that applies fills and marks prices.

    Equity = cash + sum(quantity x mark). Fees reduce cash when paid in the quote currency and
    the position when paid in the base asset; `fees_paid` is always in the quote currency.
    Daily PnL is equity now minus equity at the start of the current UTC day. Equity is cached
    until cash, a position or a mark changes (it is read many times per step).
    """

    base_currency: str
    cash: Decimal
    start_equity: Decimal = attrs.field(init=False)
    realized_pnl: Decimal = attrs.field(init=False, default=ZERO)
    fees_paid: Decimal = attrs.field(init=False, default=ZERO)
    peak_equity: Decimal = attrs.field(init=False)
    max_drawdown_pct: Decimal = attrs.field(init=False, default=ZERO)
    day: date | None = attrs.field(init=False, default=None)
    day_start_equity: Decimal = attrs.field(init=False)
    realized_by_symbol: dict[Symbol, Decimal] = attrs.field(init=False, factory=dict)
    fees_by_symbol: dict[Symbol, Decimal] = attrs.field(init=False, factory=dict)
    _positions: dict[Symbol, Position] = attrs.field(init=False, factory=dict)
    _marks: dict[Symbol, Decimal] = attrs.field(init=False, factory=dict)
    # equity cache: valid while no position or mark changed and `cash` is still this object
    _equity: Decimal | None = attrs.field(init=False, default=None, eq=False, repr=False)
    _equity_cash: Decimal | None = attrs.field(init=False, default=None, eq=False, repr=False)
    # when the ledger's current UTC day ends (marks before it need no day roll-over check)
    _day_ends: datetime | None = attrs.field(init=False, default=None, eq=False, repr=False)
    # fills applied so far: a reader that saw this count unchanged knows no position moved
    fills_applied: int = attrs.field(init=False, default=0, eq=False)
    # (peak, max drawdown, floor): at or above the floor the drawdown from that peak cannot
    # exceed that maximum, so it need not be worked out (valid while both are these objects)
    _calm: tuple[Decimal, Decimal, Decimal] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        self.cash = to_decimal(self.cash, "cash")
        if self.cash < 0:
            raise ValueError("starting cash must be >= 0")
        self.start_equity = self.cash
        self.peak_equity = self.cash
        self.day_start_equity = self.cash

    # --- reading -----------------------------------------------------------------------------
    @property
    def positions(self) -> Mapping[Symbol, Position]:
        return dict(self._positions)

    def quantity(self, symbol: Symbol) -> Decimal:
        position = self._positions.get(symbol)
        return position.quantity if position else ZERO

    def mark_price(self, symbol: Symbol) -> Decimal | None:
        """Last marked price, else the average entry price, else None."""
        if symbol in self._marks:
            return self._marks[symbol]
        position = self._positions.get(symbol)
        return position.average_price if position else None

    def position(self, symbol: Symbol) -> Position | None:
        return self._positions.get(symbol)

    def exposure(self, symbol: Symbol) -> Decimal:
        price = self.mark_price(symbol)
        return abs(self.quantity(symbol)) * price if price is not None else ZERO

    @property
    def total_exposure(self) -> Decimal:
        return sum((self.exposure(s) for s in self._positions), ZERO)

    @property
    def unrealized_pnl(self) -> Decimal:
        total = ZERO
        for symbol, position in self._positions.items():
            mark = self.mark_price(symbol)
            if mark is not None:
                total += position.unrealized_pnl(mark)
        return total

    @property
    def equity(self) -> Decimal:
        """Cash plus every position at its mark price."""
        equity = self._equity
        if equity is None or self._equity_cash is not self.cash:
            equity = cash = self.cash
            for symbol, position in self._positions.items():
                mark = self.mark_price(symbol)
                if mark is not None:
                    equity += position.quantity * mark
            self._equity, self._equity_cash = equity, cash
        return equity

    @property
    def drawdown_pct(self) -> Decimal:
        """Current drawdown from peak equity, in percent (0 at a new peak)."""
        return self._drawdown_at(self.equity)

    def _drawdown_at(self, equity: Decimal) -> Decimal:
        if self.peak_equity <= 0:
            return ZERO
        return max(ZERO, (self.peak_equity - equity) / self.peak_equity * 100)

    @property
    def daily_pnl(self) -> Decimal:
        """Realized + unrealized PnL (net of fees) since the start of the current UTC day."""
        return self.equity - self.day_start_equity

    def day_start_equity_at(self, now: datetime) -> Decimal:
        """Opening equity of the UTC day of `now`: on a day the ledger has not seen yet, that is
        the equity at the last known prices (nothing has happened since midnight)."""
        require_utc(now, "now")
        if self.day is not None and now.date() > self.day:
            return self.equity
        return self.day_start_equity

    @property
    def has_positions(self) -> bool:
        return bool(self._positions)

    @property
    def open_positions(self) -> int:
        return len(self._positions)

    # --- changing ----------------------------------------------------------------------------
    def mark(self, symbol: Symbol, price: Decimal, now: datetime) -> None:
        """Record the latest price of `symbol` at `now` and update peak and drawdown."""
        if type(price) is not Decimal:
            price = to_decimal(price, "price")
        if price <= 0:
            raise ValueError(f"mark price must be > 0, got {format_decimal(price)}")
        if now.tzinfo is not UTC or self._day_ends is None or now >= self._day_ends:
            self._roll_day(now)
        self._marks[symbol] = price
        position = self._positions.get(symbol)
        if position is None:
            return  # no position is valued at this price: equity, peak and drawdown stay put
        if len(self._positions) == 1:  # the equity property's sum, for its one position
            cash = self.cash
            self._equity, self._equity_cash = cash + position.quantity * price, cash
        else:
            self._equity = None
        self._track_peak()

    def apply_fill(self, fill: Fill) -> None:
        """Book one fill: cash, position, average price, realized PnL and fees."""
        now = fill.time
        if now.tzinfo is not UTC or self._day_ends is None or now >= self._day_ends:
            self._roll_day(now)
        self.fills_applied += 1
        symbol = fill.symbol
        signed = fill.quantity * fill.side.sign
        self.cash -= signed * fill.price
        fee_quote = fill.fee_in_quote
        if fill.fee_in_base:
            signed -= fill.fee  # the venue keeps part of the base asset
        else:
            self.cash -= fee_quote
        self.fees_paid += fee_quote
        self.fees_by_symbol[symbol] = self.fees_by_symbol.get(symbol, ZERO) + fee_quote
        self._apply_quantity(symbol, signed, fill.price)
        self._marks.setdefault(symbol, fill.price)
        self._equity = None
        self._track_peak()

    def _apply_quantity(self, symbol: Symbol, signed: Decimal, price: Decimal) -> None:
        old = self._positions.get(symbol)
        old_qty = old.quantity if old else ZERO
        old_avg = old.average_price if old else price
        new_qty = old_qty + signed
        if old_qty == 0 or (old_qty > 0) == (signed > 0):
            total = abs(old_qty) + abs(signed)
            avg = (abs(old_qty) * old_avg + abs(signed) * price) / total if total else price
        else:
            closed = min(abs(signed), abs(old_qty))
            direction = 1 if old_qty > 0 else -1
            realized = (price - old_avg) * closed * direction
            self.realized_pnl += realized
            self.realized_by_symbol[symbol] = self.realized_by_symbol.get(symbol, ZERO) + realized
            avg = old_avg if abs(signed) <= abs(old_qty) else price
        if new_qty == 0:
            self._positions.pop(symbol, None)
        else:
            self._positions[symbol] = Position(symbol=symbol, quantity=new_qty, average_price=avg)
        self._equity = None

    def _roll_day(self, now: datetime) -> None:
        require_utc(now, "now")
        today = now.date()
        if self.day is None:
            self.day = today
        elif today > self.day:
            # Equity at the last known prices before this event is the day's opening equity.
            self.day = today
            self.day_start_equity = self.equity
        if today == self.day:
            self._day_ends = datetime(today.year, today.month, today.day, tzinfo=UTC) + _DAY

    def _track_peak(self) -> None:
        equity = self.equity
        peak = self.peak_equity
        if equity > peak:
            self.peak_equity = equity
            return  # no drawdown at a new peak: the maximum stays
        calm = self._calm
        if (
            calm is not None
            and equity >= calm[2]
            and calm[0] is peak
            and calm[1] is self.max_drawdown_pct
        ):
            return  # shallower than the deepest drawdown so far: nothing changes
        self.max_drawdown_pct = deepest = max(self.max_drawdown_pct, self._drawdown_at(equity))
        floor = _calm_floor(peak, deepest)
        self._calm = None if floor is None else (peak, deepest, floor)


def _calm_floor(peak: Decimal, deepest: Decimal) -> Decimal | None:
    """An equity at or above which `_drawdown_at` (rounded in the current context) cannot exceed
    `deepest`: the exact boundary raised by a margin far above the rounding of that formula
    (a few units in the last of `prec` digits); None when there is no peak to fall from or the
    drawdown is beyond the range that margin covers."""
    if peak <= 0 or deepest >= _DEEPEST_COVERED:
        return None
    margin = peak.scaleb(8 - getcontext().prec)
    return peak - peak * deepest / 100 + margin
