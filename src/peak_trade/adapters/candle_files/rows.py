"""The careful reading of one data row: every check, each refusal with its precise reason.

The readers' fast loops handle the common row inline and come here for anything else, so a
row is either read the same by both or refused with the reason this module gives.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from peak_trade.domain.decimals import ZERO, format_decimal
from peak_trade.domain.market import Candle, ohlcv_valid
from peak_trade.domain.symbols import Symbol

from .errors import non_ascii_reason
from .formats import Layout
from .timestamps import EPOCH, parse_time_micros

Row = tuple[int, Decimal, Decimal, Decimal, Decimal, Decimal]  # open time in µs, OHLCV

# Candle's constructor states why values are refused; it needs some symbol to say it.
_ANY_SYMBOL = Symbol("BASE", "QUOTE")


def checked_row(line: str, layout: Layout) -> Row:
    """One data row read with every check; ValueError with the reason it is refused."""
    if not line.isascii():
        raise ValueError(non_ascii_reason(line))
    text = line.strip()
    if text.startswith("#"):
        raise ValueError("a '#' comment line among the rows: comments go before the header")
    fields = text.split(",")
    if len(fields) != layout.width:
        raise ValueError(
            f"expected {layout.width} columns like the rest of this "
            f"{layout.format.name.lower()} file, got {len(fields)}"
        )
    if "_" in text:
        raise ValueError(f"'_' in {text!r}: numbers must be plain digits")
    micros = parse_time_micros(fields[layout.time], epoch=layout.epoch_times)
    open_ = _decimal(fields[layout.open], "open")
    high = _decimal(fields[layout.high], "high")
    low = _decimal(fields[layout.low], "low")
    close = _decimal(fields[layout.close], "close")
    volume = ZERO if layout.volume is None else _decimal(fields[layout.volume], "volume")
    if not ohlcv_valid(open_, high, low, close, volume):
        raise ValueError(_candle_reason(open_, high, low, close, volume))
    return micros, open_, high, low, close, volume


def _decimal(text: str, name: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{name} {text.strip()!r} is not a decimal number") from None


def _candle_reason(open_: Decimal, high: Decimal, low: Decimal, close: Decimal, v: Decimal) -> str:
    """The Candle constructor's reason, with the row's values instead of the candle's repr."""
    try:
        Candle(
            symbol=_ANY_SYMBOL,
            open_time=EPOCH,
            open=open_,
            high=high,
            low=low,
            close=close,
            volume=v,
        )
    except ValueError as exc:
        reason = str(exc).split(": Candle(", 1)[0]
    else:
        raise AssertionError("unreachable: ohlcv_valid refused values the Candle accepts")
    if all(value.is_finite() for value in (open_, high, low, close, v)):
        values = zip(
            ("open", "high", "low", "close", "volume"), (open_, high, low, close, v), strict=True
        )
        reason += " (" + " ".join(f"{k}={format_decimal(d)}" for k, d in values) + ")"
    return reason
