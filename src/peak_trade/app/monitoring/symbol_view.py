"""One symbol's figures in a run view: position, prices, PnL, fees, orders, fills, candles,
and the places its prices and quantities are shown with."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.display import price_places
from peak_trade.app.monitoring.numbers import as_decimal, decimals_of
from peak_trade.app.monitoring.performance import RunPerformance, symbol_figures
from peak_trade.app.monitoring.run_facts import first, get, text
from peak_trade.domain.decimals import format_decimal


def symbol_view(
    symbol: str,
    meta: Mapping[str, Any] | None,
    trusted: Mapping[str, Any] | None,
    digest: RunDigest,
    perf: RunPerformance,
) -> dict[str, Any]:
    from_summary = get(trusted, "symbols", symbol)
    from_summary = from_summary if isinstance(from_summary, Mapping) else {}
    legacy = get(trusted, "positions", symbol)
    legacy_qty = get(legacy, "quantity") if isinstance(legacy, Mapping) else legacy
    track = digest.symbols.get(symbol)
    figures = symbol_figures(perf, symbol)
    quote = first(
        get(meta, "quote_currencies", symbol),
        from_summary.get("quote_currency"),
        symbol.split("/")[-1] if "/" in symbol else None,
    )
    mark = (
        first(
            from_summary.get("mark_price"),
            get(legacy, "mark_price"),
            track.mark_text if track else None,
        )
        if trusted
        else first(track.mark_text if track else None, from_summary.get("mark_price"))
    )
    tick = get(meta, "instruments", symbol, "price_tick")
    bars = track.bars if track else None
    realized = text(first(from_summary.get("realized_pnl"), figures["realized_pnl"]))
    unrealized = text(first(from_summary.get("unrealized_pnl"), figures["unrealized_pnl"]))
    fees = text(first(from_summary.get("fees_paid"), figures["fees_paid"]))
    trips = perf.by_symbol(symbol)
    closed = [t for t in trips if t.open_quantity == 0]
    return {
        "symbol": symbol,
        "quote_currency": text(quote),
        "position": text(
            first(from_summary.get("position"), legacy_qty, track.position_text if track else None)
            if trusted
            else first(track.position_text if track else None, from_summary.get("position"))
        ),
        "average_price": text(
            first(
                from_summary.get("average_price"),
                get(legacy, "average_price"),
                figures["average_price"],
            )
        ),
        "mark_price": text(mark),
        "realized_pnl": realized,
        "unrealized_pnl": unrealized,
        "fees_paid": fees,
        "net_pnl": _net(realized, unrealized, fees),
        "orders_submitted": first(
            from_summary.get("orders_submitted"),
            digest.orders.intents
            if len(digest.symbols) <= 1
            else digest.orders.intents_by_symbol.get(symbol, 0),
        ),
        "fills": first(from_summary.get("fills"), digest.fills.by_symbol.get(symbol, 0)),
        "signals": first(from_summary.get("signals"), track.signals if track else 0),
        "last_candle_time": text(
            first(from_summary.get("last_candle_time"), track.last_candle_time if track else None)
            if trusted
            else first(
                track.last_candle_time if track else None, from_summary.get("last_candle_time")
            )
        ),
        "round_trips": len(trips),
        "win_rate_pct": (
            format_decimal(Decimal(sum(t.net_pnl > 0 for t in closed)) * 100 / len(closed))
            if closed
            else None
        ),
        "price_places": (
            price_places(decimals_of(text(tick)))
            if tick is not None
            else price_places(bars.decimals if bars else None, as_decimal(mark))
        ),
        "quantity_places": _quantity_places(meta, digest, symbol),
        "bars": len(bars) if bars else 0,
    }


def _net(realized: str | None, unrealized: str | None, fees: str | None) -> str | None:
    """Realized plus unrealized PnL less fees (the ledger's realized PnL is before fees)."""
    gross, paid = as_decimal(realized), as_decimal(fees)
    if gross is None or paid is None:
        return None
    return format_decimal(gross + (as_decimal(unrealized) or Decimal(0)) - paid)


def _quantity_places(meta: Mapping[str, Any] | None, digest: RunDigest, symbol: str) -> int:
    step = get(meta, "instruments", symbol, "lot_step")
    places = decimals_of(text(step)) if step is not None else None
    if places is None:
        places = digest.fills.quantity_decimals.get(symbol)
    return 8 if places is None else min(max(places, 0), 8)
