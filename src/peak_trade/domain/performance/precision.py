"""Decimal arithmetic for trade analytics: one explicit context, exact time spans and shares.

Every analytics entry point computes inside `analytics_precision()`, so sums of fills stay
exact and only divisions and square roots round, at the 60th significant digit. The ledger
computes in the thread's default context (28 digits); figures that equal a ledger figure in
exact arithmetic therefore agree with it to the ledger's own rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import timedelta
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

PRECISION = 60
SHARE_DIGITS = 40  # significant digits kept in a pro-rata share, below PRECISION so rest is exact
_MICROSECOND = timedelta(microseconds=1)


def analytics_precision() -> AbstractContextManager[Context]:
    """Enter the analytics context: 60 digits, half-even, invalid operations and /0 raise."""
    return localcontext(
        Context(
            prec=PRECISION,
            rounding=ROUND_HALF_EVEN,
            traps=[InvalidOperation, DivisionByZero, Overflow],
        )
    )


def seconds(span: timedelta) -> Decimal:
    """A time span in seconds, exact to the microsecond."""
    return Decimal(span // _MICROSECOND).scaleb(-6)


def mean(values: Sequence[Decimal]) -> Decimal:
    """Arithmetic mean of a non-empty sequence (call inside `analytics_precision()`)."""
    return sum(values, Decimal(0)) / len(values)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole x 100 (whole != 0; call inside `analytics_precision()`)."""
    return part / whole * 100


def split_pro_rata(amount: Decimal, part: Decimal, whole: Decimal) -> tuple[Decimal, Decimal]:
    """(amount x part / whole, the rest): the two shares add up to `amount` exactly.

    The first share is rounded to SHARE_DIGITS significant digits of `amount`, so the rest is an
    exact subtraction in the analytics context. Call inside `analytics_precision()`.
    """
    if part == whole:
        return amount, Decimal(0)
    exponent = min(int(amount.as_tuple().exponent), amount.adjusted() - SHARE_DIGITS)
    share = (amount * part / whole).quantize(Decimal(1).scaleb(exponent))
    return share, amount - share
