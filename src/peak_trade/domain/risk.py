"""LiveRiskLimits: portfolio-aware pre-trade limits that fail closed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, format_decimal, name_decimal_fields, optional_decimal
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import OrderRequest
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.sizing import position_side
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import require_utc
from peak_trade.domain.trading_state import reduces_exposure

ORDER_WINDOW = timedelta(minutes=1)
# Limits an order can be sized down to meet (the others block it: see LiveRiskLimits.size_down)
SIZEABLE_LIMITS = frozenset(
    {"max_order_notional", "max_symbol_exposure_notional", "max_total_exposure_notional"}
)


def _market_price(prices: Mapping[Symbol, Decimal], symbol: Symbol) -> Decimal | None:
    """The given price of `symbol` if it is usable (> 0); a zero or negative price is none."""
    price = prices.get(symbol)
    return price if price is not None and price > 0 else None


@attrs.frozen(kw_only=True)
class RiskViolation:
    """One breached limit: which, the observed value and the limit's value."""

    limit: str
    observed: Decimal
    limit_value: Decimal
    symbol: Symbol | None = None
    message: str = ""


@attrs.frozen(kw_only=True)
class RiskDecision:
    """Allowed or not, every violation, and the metrics the decision was based on."""

    allowed: bool
    violations: tuple[RiskViolation, ...] = ()
    metrics: Mapping[str, Decimal] = attrs.field(factory=dict)

    @property
    def reason(self) -> str:
        return "; ".join(v.message for v in self.violations)


def _positive(
    _instance: object, attribute: attrs.Attribute[Decimal | None], value: Decimal | None
) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{attribute.name} must be > 0 when set, got {format_decimal(value)}")


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class LiveRiskLimits:
    """Pre-trade limits; None disables a single limit, `enabled = False` disables all.

    A limit is breached when the observed value is strictly greater than the limit. Exposure is
    judged on the portfolio *after* the orders. An order without a reference price is refused.
    Orders that only reduce positions are never blocked by exposure, order-size or loss limits.
    Daily loss is the portfolio's own PnL since UTC midnight; a profit never blocks.
    `max_drawdown_pct` is a stop for the whole run (the session moves to REDUCING and flattens;
    see `drawdown_breach`). With `size_down`, an order that only breaks exposure or order-size
    limits may be cut to `max_quantity` instead of refused.
    """

    enabled: bool = True
    base_currency: str = ""  # the currency notional limits are in; "" = the symbols' quote
    max_order_notional: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    max_symbol_exposure_notional: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    max_total_exposure_notional: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    max_open_positions: int | None = None
    max_daily_loss_abs: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    max_daily_loss_pct: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    max_orders_per_minute: int | None = None
    max_drawdown_pct: Decimal | None = attrs.field(
        default=None,
        converter=optional_decimal,
        validator=_positive,
    )
    size_down: bool = True  # an order over an exposure limit is cut to what the limit allows

    def __attrs_post_init__(self) -> None:
        for name in ("max_open_positions", "max_orders_per_minute"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or value < 0):
                raise ValueError(f"{name} must be >= 0 when set, got {value}")

    def check_orders(
        self,
        orders: Sequence[OrderRequest],
        portfolio: Portfolio,
        prices: Mapping[Symbol, Decimal],
        now: datetime,
        recent_order_times: Sequence[datetime] = (),
        rules_of: Callable[[Symbol], InstrumentRules | None] | None = None,
    ) -> RiskDecision:
        """Judge a batch of orders against the portfolio as it would be after all of them.

        With `rules_of` (each symbol's venue rules), a position no market order could trade
        (dust, see sizing.closable_quantity) is not an open position for `max_open_positions`:
        leftovers of closed trades must not block new ones. Its exposure still counts. Where
        `rules_of` knows no rules (None), the position counts as open."""
        require_utc(now, "now")
        violations: list[RiskViolation] = []
        metrics: dict[str, Decimal] = {}

        positions = portfolio.positions
        after: dict[Symbol, Decimal] = {s: p.quantity for s, p in positions.items()}
        ref: dict[Symbol, Decimal] = {}
        reducing_only = True
        max_order_notional = self.max_order_notional
        for order in orders:
            symbol = order.symbol
            market = prices.get(symbol)
            if market is not None and market <= 0:
                market = None  # a zero or negative price is none
            price = order.limit_price if order.limit_price is not None else market
            if price is None:
                violations.append(
                    RiskViolation(
                        limit="reference_price",
                        observed=ZERO,
                        limit_value=ZERO,
                        symbol=symbol,
                        message=f"{symbol}: no reference price, order refused",
                    )
                )
                continue
            ref[symbol] = market if market is not None else price
            before = after.get(symbol, ZERO)
            signed = order.signed_quantity
            reduces = reduces_exposure(before, signed)
            reducing_only = reducing_only and reduces
            after[symbol] = before + signed
            notional = order.quantity * price
            metrics[f"order_notional:{symbol}"] = notional
            if not reduces and max_order_notional is not None and notional > max_order_notional:
                violations.append(
                    self._violation("max_order_notional", notional, max_order_notional, symbol)
                )

        exposures: dict[Symbol, Decimal] = {}
        open_positions = 0
        for symbol, quantity in after.items():
            if quantity != 0:
                price_of = ref.get(symbol)
                if price_of is None:
                    mark = _market_price(prices, symbol) or portfolio.mark_price(symbol)
                    price_of = mark if mark is not None else ZERO
                exposures[symbol] = abs(quantity) * price_of
                rules = rules_of(symbol) if rules_of is not None else None
                if rules is None or position_side(quantity, rules, price_of):
                    open_positions += 1  # unknown rules: open (fail closed)
        total = sum(exposures.values(), ZERO)
        daily_pnl, daily_loss = self._daily_loss(portfolio, prices, now)
        metrics["total_exposure_after"] = total
        metrics["open_positions_after"] = Decimal(open_positions)
        metrics["daily_pnl"] = daily_pnl
        metrics["equity"] = portfolio.equity

        by_symbol = sorted(exposures.items()) if len(exposures) > 1 else list(exposures.items())
        for symbol, exposure in by_symbol:
            metrics[f"symbol_exposure_after:{symbol}"] = exposure

        if not reducing_only:
            for symbol, exposure in by_symbol:
                if self._over(exposure, self.max_symbol_exposure_notional):
                    violations.append(
                        self._violation(
                            "max_symbol_exposure_notional",
                            exposure,
                            self.max_symbol_exposure_notional,
                            symbol,
                        )
                    )
            if self._over(total, self.max_total_exposure_notional):
                violations.append(
                    self._violation(
                        "max_total_exposure_notional", total, self.max_total_exposure_notional
                    )
                )
            if self.max_open_positions is not None and open_positions > self.max_open_positions:
                violations.append(
                    self._violation(
                        "max_open_positions",
                        Decimal(open_positions),
                        Decimal(self.max_open_positions),
                    )
                )
            violations.extend(daily_loss)

        if self.max_orders_per_minute is not None:
            window_start = now - ORDER_WINDOW
            recent = sum(1 for t in recent_order_times if window_start < t <= now)
            count = Decimal(recent + len(orders))
            metrics["orders_last_minute"] = count
            if count > self.max_orders_per_minute:
                violations.append(
                    self._violation(
                        "max_orders_per_minute", count, Decimal(self.max_orders_per_minute)
                    )
                )

        if not self.enabled:
            no_price = [v for v in violations if v.limit == "reference_price"]
            return RiskDecision(allowed=not no_price, violations=tuple(no_price), metrics=metrics)
        return RiskDecision(allowed=not violations, violations=tuple(violations), metrics=metrics)

    @property
    def guards_equity(self) -> bool:
        """Whether a daily-loss or drawdown limit is on: only then can a fall in equity breach
        a limit (and `safe_equity` is a number)."""
        return self.enabled and not (
            self.max_daily_loss_abs is None
            and self.max_daily_loss_pct is None
            and self.max_drawdown_pct is None
        )

    def safe_equity(self, day_start_equity: Decimal, peak_equity: Decimal) -> Decimal | None:
        """The equity at or above which neither a daily-loss limit nor `max_drawdown_pct` can
        be breached (for the day opening at `day_start_equity` and the peak so far); None when
        no such limit is set. A cheap pre-check: only below it are the breaches worked out."""
        if not self.enabled:
            return None
        floors = []
        if self.max_daily_loss_abs is not None:
            floors.append(day_start_equity - self.max_daily_loss_abs)
        if self.max_daily_loss_pct is not None:
            floors.append(day_start_equity * (1 - self.max_daily_loss_pct / 100))
        if self.max_drawdown_pct is not None:
            floors.append(peak_equity * (1 - self.max_drawdown_pct / 100))
        return max(floors) if floors else None

    def drawdown_breach(self, portfolio: Portfolio) -> RiskViolation | None:
        """The run's drawdown from peak equity above `max_drawdown_pct`, or None."""
        if not self.enabled or self.max_drawdown_pct is None:
            return None
        drawdown = portfolio.drawdown_pct
        if drawdown <= self.max_drawdown_pct:
            return None
        return self._violation("max_drawdown_pct", drawdown, self.max_drawdown_pct)

    def max_quantity(
        self, order: OrderRequest, portfolio: Portfolio, prices: Mapping[Symbol, Decimal]
    ) -> Decimal | None:
        """The largest quantity of `order` (same side) the exposure and order-size limits allow,
        or None when no such limit binds it. Only for orders that add exposure from flat or on
        the same side; a reducing or flipping order is never sized here (None)."""
        price = order.limit_price if order.limit_price is not None else prices.get(order.symbol)
        if price is None or price <= 0:
            return None
        position = portfolio.quantity(order.symbol)
        if position != 0 and (position > 0) != (order.signed_quantity > 0):
            return None
        held = abs(position) * price
        others = ZERO
        for symbol, other in portfolio.positions.items():
            if symbol != order.symbol:
                mark = _market_price(prices, symbol) or portfolio.mark_price(symbol) or ZERO
                others += abs(other.quantity) * mark
        room = [
            self.max_order_notional,
            None
            if self.max_symbol_exposure_notional is None
            else self.max_symbol_exposure_notional - held,
            None
            if self.max_total_exposure_notional is None
            else self.max_total_exposure_notional - held - others,
        ]
        limits = [r for r in room if r is not None]
        if not self.enabled or not limits:
            return None
        return max(ZERO, min(limits) / price)

    def daily_loss_breaches(
        self, portfolio: Portfolio, now: datetime, prices: Mapping[Symbol, Decimal] | None = None
    ) -> tuple[RiskViolation, ...]:
        """The daily-loss limits the portfolio breaches at `now` (none when limits are off).

        The one daily-loss rule: PnL since the start of `now`'s UTC day (a day the ledger has
        not seen yet starts at the current equity), valued at `prices` where given, else at the
        ledger's marks; a profit never breaches.
        """
        require_utc(now, "now")
        if not self.enabled:
            return ()
        return self._daily_loss(portfolio, prices or {}, now)[1]

    def _daily_loss(
        self, portfolio: Portfolio, prices: Mapping[Symbol, Decimal], now: datetime
    ) -> tuple[Decimal, tuple[RiskViolation, ...]]:
        day_start_equity = portfolio.day_start_equity_at(now)
        daily_pnl = self._daily_pnl(portfolio, prices, day_start_equity)
        return daily_pnl, tuple(self._daily_loss_violations(daily_pnl, day_start_equity))

    @staticmethod
    def _daily_pnl(
        portfolio: Portfolio, prices: Mapping[Symbol, Decimal], day_start_equity: Decimal
    ) -> Decimal:
        """Equity at `prices` (else the ledger's marks) minus the day's opening equity."""
        equity = portfolio.cash
        for symbol, position in portfolio.positions.items():
            mark = (
                _market_price(prices, symbol)
                or portfolio.mark_price(symbol)
                or position.average_price
            )
            equity += position.quantity * mark
        return equity - day_start_equity

    def _daily_loss_violations(
        self, daily_pnl: Decimal, day_start_equity: Decimal
    ) -> list[RiskViolation]:
        if daily_pnl >= 0:
            return []  # a profit never blocks
        loss = -daily_pnl
        found = []
        if self._over(loss, self.max_daily_loss_abs):
            found.append(self._violation("max_daily_loss_abs", loss, self.max_daily_loss_abs))
        if self.max_daily_loss_pct is not None and day_start_equity > 0:
            pct = loss / day_start_equity * 100
            if pct > self.max_daily_loss_pct:
                found.append(self._violation("max_daily_loss_pct", pct, self.max_daily_loss_pct))
        return found

    @staticmethod
    def _over(value: Decimal, limit: Decimal | None) -> bool:
        return limit is not None and value > limit

    def _violation(
        self, name: str, observed: Decimal, limit: Decimal | None, symbol: Symbol | None = None
    ) -> RiskViolation:
        assert limit is not None
        where = f"{symbol}: " if symbol else ""
        if name in ("max_open_positions", "max_orders_per_minute"):
            unit = ""
        elif name.endswith("_pct"):
            unit = "%"
        else:
            unit = f" {self.base_currency}"
        return RiskViolation(
            limit=name,
            observed=observed,
            limit_value=limit,
            symbol=symbol,
            message=(
                f"{where}{name} breached: {format_decimal(observed)}{unit} > "
                f"{format_decimal(limit)}{unit}"
            ),
        )
