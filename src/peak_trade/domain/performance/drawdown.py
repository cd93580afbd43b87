"""Maximum drawdown of an equity curve, in quote currency and in percent of the peak."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, name_decimal_fields, to_decimal
from peak_trade.domain.performance.precision import analytics_precision, percent


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class Drawdown:
    """The deepest fall below a running peak: amount and percent, each maximised on its own."""

    amount: Decimal = attrs.field(converter=to_decimal)
    pct: Decimal = attrs.field(converter=to_decimal)


def max_drawdown(start_equity: Decimal, equity: Iterable[Decimal]) -> Drawdown:
    """Largest peak-minus-equity and largest (peak - equity) / peak x 100 over the curve.

    The peak starts at start_equity. As in `Portfolio`, the percent is 0 while the peak is not
    positive, so over the same equity points it is `Portfolio.max_drawdown_pct` (to the
    ledger's 28-digit rounding).
    """
    peak, amount, pct = start_equity, ZERO, ZERO
    with analytics_precision():
        for value in equity:
            peak = max(peak, value)
            amount = max(amount, peak - value)
            if peak > 0:
                pct = max(pct, percent(peak - value, peak))
    return Drawdown(amount=amount, pct=pct)
