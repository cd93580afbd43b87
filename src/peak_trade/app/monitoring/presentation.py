"""Figures of a run as people read them, shared by the dashboard, the report and
`peak-trade monitor`, so every viewer shows the same figures: money at the currency's places,
prices at the symbol's, quantities at the lot's, times to the second.

Cells are plain text; each viewer escapes or styles them. A `Column` says whether its cells
are numbers (aligned right).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from peak_trade.app.monitoring.display import (
    duration_text,
    fixed,
    money_places,
    percent,
    time_text,
)

DASH = "-"


@attrs.frozen
class Column:
    title: str
    numeric: bool = False


@attrs.frozen(kw_only=True)
class Precision:
    """Places for money (base currency), and per symbol for prices, quantities and quote money."""

    money: int = 2
    prices: Mapping[str, int] = attrs.field(factory=dict)
    quantities: Mapping[str, int] = attrs.field(factory=dict)
    quotes: Mapping[str, str | None] = attrs.field(factory=dict)
    grouping: bool = True  # thousands separators (not in plain, piped output)

    @classmethod
    def of(cls, view: Mapping[str, Any], *, grouping: bool = True) -> Precision:
        given = view.get("precision") or {}
        per_symbol = view.get("per_symbol") or {}
        return cls(
            money=int(given.get("money", 2)),
            prices=dict(given.get("prices") or {}),
            quantities=dict(given.get("quantities") or {}),
            quotes={s: f.get("quote_currency") for s, f in per_symbol.items()},
            grouping=grouping,
        )

    def price(self, symbol: object, value: object) -> str:
        return fixed(value, self.prices.get(str(symbol), 2), grouping=self.grouping) or DASH

    def quantity(self, symbol: object, value: object) -> str:
        return fixed(value, self.quantities.get(str(symbol), 8)) or DASH

    def quote_money(self, symbol: object, value: object, *, signed: bool = False) -> str:
        places = money_places(self.quotes.get(str(symbol))) if symbol else self.money
        return fixed(value, places, grouping=self.grouping, signed=signed) or DASH

    def money_text(self, value: object, *, signed: bool = False) -> str:
        return fixed(value, self.money, grouping=self.grouping, signed=signed) or DASH


def pct(value: object, *, signed: bool = False) -> str:
    return percent(value, signed=signed) or DASH


def _ratio(value: object) -> str:
    return fixed(value, 2) or DASH


def when(value: object) -> str:
    return time_text(value) or DASH


def plain(value: object) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# --- key figures ---------------------------------------------------------------------------


def headline_figures(view: Mapping[str, Any], *, grouping: bool = True) -> list[tuple[str, str]]:
    """The run's key figures, label and text, in reading order."""
    p = Precision.of(view, grouping=grouping)
    currency = view.get("base_currency") or ""
    orders = view.get("orders") or {}
    outcomes = ", ".join(f"{k} {v}" for k, v in (orders.get("by_outcome") or {}).items())
    fills = view.get("fills") or {}
    return [
        ("Equity", f"{p.money_text(view.get('equity'))} {currency}".strip()),
        ("Start equity", p.money_text(view.get("start_equity"))),
        (
            "Total PnL",
            f"{p.money_text(view.get('total_pnl'), signed=True)} "
            f"({pct(view.get('total_return_pct'), signed=True)})",
        ),
        (
            "Realized / unrealized",
            f"{p.money_text(view.get('realized_pnl'), signed=True)} / "
            f"{p.money_text(view.get('unrealized_pnl'), signed=True)}",
        ),
        ("Fees", p.money_text(view.get("fees_paid"))),
        (
            "Drawdown now / max",
            f"{pct(view.get('drawdown_pct'))} / {pct(view.get('max_drawdown_pct'))}",
        ),
        ("Position", position_summary(view)),
        ("Trading state", trading_state_text(view)),
        (
            "Orders",
            f"{orders.get('listed', 0)} ({orders.get('sent', 0)} sent; {outcomes or 'none'})",
        ),
        ("Fills", f"{fills.get('total', 0)}" + (" simulated" if fills.get("simulated") else "")),
        ("Exchange errors", errors_text(view)),
        ("Last candle", last_candle_text(view)),
    ]


def errors_text(view: Mapping[str, Any]) -> str:
    """`3 (market_data 2, order 1)`: failed steps, by kind when the run log names it."""
    kinds = view.get("errors_by_kind") or {}
    detail = ", ".join(f"{k} {v}" for k, v in kinds.items())
    return plain(view.get("exchange_errors")) + (f" ({detail})" if detail else "")


def position_summary(view: Mapping[str, Any]) -> str:
    """`BTC/EUR 0.01667358, ETH/EUR 0.25` (at each lot's places), or `flat`."""
    p = Precision.of(view)
    held = []
    for symbol, quantity in (view.get("position") or {}).items():
        text = fixed(quantity, p.quantities.get(symbol, 8))
        if text is not None and fixed(quantity, 12) != fixed(0, 12):
            held.append(f"{symbol} {text}")
    return ", ".join(held) if held else "flat"


def trading_state_text(view: Mapping[str, Any]) -> str:
    """The trading state; for a run that ended, that it stopped (and the state it ended in)."""
    state = view.get("trading_state") or "unknown"
    reason = view.get("trading_state_reason")
    if view.get("ended") or view.get("status") in ("stale", "unknown (no summary)"):
        return f"stopped ({view.get('status')}); last state {state}"
    return f"{state} ({reason})" if reason and state != "active" else str(state)


def last_candle_text(view: Mapping[str, Any]) -> str:
    age = view.get("data_age_seconds")
    text = when(view.get("last_candle_time"))
    return text + (f" (closed {duration_text(age)} ago)" if age is not None else "")


_PERIODS = {"1h": "hourly", "1d": "daily"}


def statistics_items(view: Mapping[str, Any], *, grouping: bool = True) -> list[tuple[str, str]]:
    """Performance statistics (from the domain's round trips and equity curve)."""
    stats = view.get("statistics")
    if not stats:
        return []
    p = Precision.of(view, grouping=grouping)
    exposure = duration_text(stats.get("exposure_seconds"))
    return [
        (
            "Total return",
            f"{p.money_text(stats.get('total_return'), signed=True)} "
            f"({pct(stats.get('total_return_pct'), signed=True)})",
        ),
        (
            "Round trips",
            f"{stats.get('round_trips', 0)} closed"
            + (f", {stats['open_round_trips']} open" if stats.get("open_round_trips") else ""),
        ),
        ("Win rate", f"{pct(stats.get('win_rate_pct'))} ({stats.get('wins', 0)} won)"),
        ("Profit factor", _ratio(stats.get("profit_factor"))),
        ("Average win", p.money_text(stats.get("average_win"), signed=True)),
        ("Average loss", p.money_text(stats.get("average_loss"), signed=True)),
        ("Expectancy", p.money_text(stats.get("expectancy"), signed=True)),
        ("Max drawdown", pct(view.get("max_drawdown_pct") or stats.get("max_drawdown_pct"))),
        (
            "Sharpe / Sortino",
            f"{_ratio(stats.get('sharpe_ratio'))} / {_ratio(stats.get('sortino_ratio'))}"
            f" ({stats.get('periods')} {_PERIODS.get(str(stats.get('ratio_period')), 'period')}"
            " returns, annualised)",
        ),
        ("Exposure", f"{pct(stats.get('exposure_pct'))} ({exposure or DASH})"),
        ("Trades per day", _ratio(stats.get("trades_per_day"))),
        ("Average trip", duration_text(stats.get("average_trip_seconds")) or DASH),
    ]


def symbol_rows(
    view: Mapping[str, Any], *, grouping: bool = True
) -> tuple[list[Column], list[list[str]]]:
    """Per symbol: position, average and mark price, PnL (realized and unrealized before fees,
    net after them), fees, orders, fills, round trips and their win rate, last candle."""
    p = Precision.of(view, grouping=grouping)
    columns = [
        Column("Symbol"),
        Column("Position", True),
        Column("Avg price", True),
        Column("Mark", True),
        Column("Realized", True),
        Column("Unrealized", True),
        Column("Fees", True),
        Column("Net PnL", True),
        Column("Orders", True),
        Column("Fills", True),
        Column("Trips", True),
        Column("Win rate", True),
        Column("Last candle"),
    ]
    rows = []
    for symbol, f in (view.get("per_symbol") or {}).items():
        rows.append(
            [
                symbol,
                p.quantity(symbol, f.get("position")),
                p.price(symbol, f.get("average_price")),
                p.price(symbol, f.get("mark_price")),
                p.quote_money(symbol, f.get("realized_pnl"), signed=True),
                p.quote_money(symbol, f.get("unrealized_pnl"), signed=True),
                p.quote_money(symbol, f.get("fees_paid")),
                p.quote_money(symbol, f.get("net_pnl"), signed=True),
                plain(f.get("orders_submitted")),
                plain(f.get("fills")),
                plain(f.get("round_trips")),
                pct(f.get("win_rate_pct")),
                when(f.get("last_candle_time")),
            ]
        )
    return columns, rows
