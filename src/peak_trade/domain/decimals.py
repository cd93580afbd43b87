"""Decimal conversion and formatting: every amount is a Decimal, never a float."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Context, Decimal, InvalidOperation, getcontext, localcontext
from typing import Any

import attrs

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: object, field: str = "amount") -> Decimal:
    """Convert str | int | Decimal to a finite Decimal; a float is a TypeError naming `field`."""
    if isinstance(value, bool):
        raise TypeError(f"{field}: expected str, int or Decimal, got bool")
    if isinstance(value, float):
        raise TypeError(
            f"{field}: float is not accepted for money or quantities ({value!r}); "
            "pass a str, int or Decimal"
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{field}: {value!r} is not a decimal number") from None
    else:
        raise TypeError(f"{field}: expected str, int or Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{field}: {value!r} is not a finite number")
    return result


def optional_decimal(value: object, field: str = "amount") -> Decimal | None:
    """Like `to_decimal`, but None stays None."""
    return None if value is None else to_decimal(value, field)


def _named_to_decimal(value: object, field: attrs.Attribute[Any]) -> Decimal:
    if type(value) is Decimal and value.is_finite():
        return value  # the common case, decided without the isinstance chain
    return to_decimal(value, field.name)


def _named_optional_decimal(value: object, field: attrs.Attribute[Any]) -> Decimal | None:
    if value is None or (type(value) is Decimal and value.is_finite()):
        return value
    return optional_decimal(value, field.name)


_NAMED: dict[object, attrs.Converter[Any, Any]] = {
    to_decimal: attrs.Converter(_named_to_decimal, takes_field=True),
    optional_decimal: attrs.Converter(_named_optional_decimal, takes_field=True),
}


def name_decimal_fields(
    cls: type, fields: list[attrs.Attribute[Any]]
) -> list[attrs.Attribute[Any]]:
    """attrs field_transformer: `to_decimal`/`optional_decimal` converters name their field.

    Declare `attrs.field(converter=to_decimal)` (what the mypy plugin understands) and pass
    `field_transformer=name_decimal_fields` to the class decorator: a float then fails with
    "quantity: float is not accepted ..." instead of the generic "amount: ...".
    """
    return [f.evolve(converter=_NAMED[f.converter]) if f.converter in _NAMED else f for f in fields]


def format_decimal(value: Decimal) -> str:
    """Plain decimal string: no exponent, no trailing zeros after the point, '-0' becomes '0'."""
    text = str(value)  # plain notation unless the exponent is > 0 or the value is below 1e-6
    if "E" in text or not text[-1].isdigit():  # exponent notation, or Infinity / NaN
        if not value.is_finite():
            raise ValueError(f"cannot format non-finite decimal {value!r}")
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def _exact(value: Decimal, step: Decimal) -> Context:
    """A context precise enough that value / step, value % step and value - r are exact."""
    if step <= 0:
        raise ValueError(f"step must be positive, got {step}")
    lowest = min(int(value.as_tuple().exponent), int(step.as_tuple().exponent))
    digits = max(value.adjusted(), step.adjusted()) - lowest + 2
    context = getcontext().copy()
    context.prec = max(context.prec, digits)
    return context


def _at_step_precision(multiple: Decimal, step: Decimal) -> Decimal:
    """Drop digits below the step's last digit (exact: `multiple` is a multiple of step)."""
    exponent = int(step.as_tuple().exponent)
    if int(multiple.as_tuple().exponent) < exponent:
        return multiple.quantize(Decimal(1).scaleb(exponent))
    return multiple


# The last step asked about and whether it is a unit of its last digit (1E-8, 0.01, 1, ...):
# the same InstrumentRules step comes back on every call; the reference keeps it alive.
_unit_step: tuple[Decimal | None, bool] = (None, False)


def _is_unit(step: Decimal) -> bool:
    """True when `step` is 1 x 10^its own exponent (a lot or tick step such as 0.00000001)."""
    global _unit_step
    if step is _unit_step[0]:
        return _unit_step[1]
    sign, digits, _exponent = step.as_tuple()
    unit = sign == 0 and digits == (1,)
    _unit_step = (step, unit)
    return unit


def _multiple_as_is(value: Decimal, step: Decimal) -> bool:
    """True when `value` is a non-zero multiple of a unit `step` written to the step's last
    digit (what sizing produces): then value - value % step is `value` itself, digit for digit."""
    return bool(value) and value.same_quantum(step) and _is_unit(step)


def floor_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Largest multiple of `step` that is <= value (step > 0), computed exactly."""
    if _multiple_as_is(value, step):
        return value
    if (
        value.is_finite()
        and value > 0
        and _is_unit(step)
        and value.adjusted() - step.adjusted() < getcontext().prec
    ):
        # A unit step is 10^e: flooring a positive value to it is quantizing to e toward
        # -infinity, exact (the digits fit the precision) and with the step's exponent, as
        # the general path below gives it.
        return value.quantize(step, rounding=ROUND_FLOOR)
    with localcontext(_exact(value, step)):
        remainder = value % step  # sign of value; exact in this context
        result = value - remainder
        return _at_step_precision(result - step if remainder < 0 else result, step)


def ceil_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Smallest multiple of `step` that is >= value (step > 0), computed exactly."""
    with localcontext(_exact(value, step)):
        remainder = value % step
        result = value - remainder
        return _at_step_precision(result + step if remainder > 0 else result, step)


def is_multiple_of(value: Decimal, step: Decimal) -> bool:
    """True when value is an exact multiple of step (step > 0)."""
    if _multiple_as_is(value, step):
        return True
    with localcontext(_exact(value, step)):
        return value % step == 0


def step_from_decimals(decimals: int) -> Decimal:
    """10^-decimals as an exact Decimal (8 -> 0.00000001)."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    return Decimal(1).scaleb(-decimals)
