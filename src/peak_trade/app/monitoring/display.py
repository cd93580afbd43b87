"""How figures read for people: money at its currency's places, prices at the instrument's
precision, quantities at the lot's, percentages with two places, times to the second.

The run log keeps full precision (`1680.7545057768265914`); every viewer rounds only here.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from peak_trade.app.monitoring.numbers import as_decimal

MAX_PLACES = 8
PERCENT_PLACES = 2
# Currencies whose amounts read with fewer than two places; every other fiat or stablecoin
# (EUR, USD, USDT, ...) reads with two, crypto assets with eight.
_WHOLE_UNITS = frozenset({"JPY", "KRW", "HUF", "CLP", "VND", "IDR"})
_CENTS = frozenset(
    {
        "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "TRY", "BRL", "MXN", "ZAR", "SGD", "HKD", "CNY", "INR", "AED", "ARS", "UAH",
        "USDT", "USDC", "BUSD", "FDUSD", "TUSD", "DAI", "PYUSD", "USDP", "EURC", "EURT",
        "EURI", "USDE",
    }
)  # fmt: skip


def money_places(currency: str | None) -> int:
    """Places an amount in `currency` is shown with: 2 for fiat and stablecoins, 8 for crypto.

    An unknown or missing currency reads with two places (run totals are in a fiat base
    currency unless the run says otherwise).
    """
    if not currency:
        return 2
    code = currency.upper()
    if code in _WHOLE_UNITS:
        return 0
    if code in _CENTS or (len(code) != 3 and code.startswith(("USD", "EUR"))):
        return 2
    return MAX_PLACES if code.isalnum() else 2


def price_places(decimals_seen: int | None, reference: Decimal | None = None) -> int:
    """Places for a symbol's prices: those its candle prices carry (the tick's), capped at 8;
    without candles, five significant digits of `reference` (two places from 1000 up)."""
    if decimals_seen is not None:
        return max(0, min(decimals_seen, MAX_PLACES))
    if reference is None or reference == 0:
        return 2
    magnitude = abs(reference).adjusted()  # 59975.1 -> 4, 0.5 -> -1
    return max(2, min(MAX_PLACES, 4 - magnitude))


def fixed(
    value: object, places: int, *, grouping: bool = False, signed: bool = False
) -> str | None:
    """`value` rounded half-even to exactly `places` decimals; None when it is not a number.

    `grouping` adds thousands separators (`10,050.00`); `signed` a `+` on positive values.
    """
    number = as_decimal(value)
    if number is None:
        return None
    with localcontext() as context:
        context.prec = max(60, number.adjusted() + places + 2)
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.00"
    text = format(rounded, ",f" if grouping else "f")
    return f"+{text}" if signed and rounded > 0 else text


def percent(value: object, *, signed: bool = False) -> str | None:
    """A percentage with two places and a `%` (`4.39%`); None when not a number."""
    text = fixed(value, PERCENT_PLACES, signed=signed)
    return None if text is None else f"{text}%"


def time_text(value: object) -> str | None:
    """An ISO time to the second, for people: `2026-01-05T12:00:00.899747Z` ->
    `2026-01-05 12:00:00` (always UTC)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("T", " ", 1)
    for suffix in ("Z", "+00:00"):
        text = text.removesuffix(suffix)
    point = text.find(".", 10)
    return text[:point] if point > 0 else text


def duration_text(span: timedelta | float | int | None) -> str | None:
    """A duration in its two largest units: `45s`, `12m 30s`, `3h 05m`, `2d 03h`."""
    if span is None:
        return None
    seconds = int(span.total_seconds() if isinstance(span, timedelta) else span)
    seconds = max(seconds, 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
