"""The symbol and timeframe a file declares in its `# symbol:` / `# timeframe:` comments."""

from __future__ import annotations

from collections.abc import Sequence

from peak_trade.domain.symbols import Symbol, Timeframe

from .errors import CandleFileError
from .info import MetadataSource
from .preamble import MetadataLine


def resolve_symbol(
    metadata: Sequence[MetadataLine], given: Symbol | None, name: str
) -> tuple[Symbol | None, MetadataSource | None]:
    """The header's symbol, else the given one; a given symbol contradicting the header is
    refused, saying which symbol to pass."""
    declared = _declared(metadata, "symbol", name)
    if declared is None:
        return (None, None) if given is None else (given, MetadataSource.GIVEN)
    try:
        symbol = Symbol.parse(declared.value)
    except ValueError as exc:
        raise CandleFileError(name, declared.line, f"invalid '# symbol:' header: {exc}") from None
    if given is not None and given != symbol:
        raise CandleFileError(
            name,
            declared.line,
            f"the file holds {symbol} candles (its '# symbol:' header) but {given} was given; "
            f"pass {symbol}",
        )
    return symbol, MetadataSource.HEADER


def declared_timeframe(metadata: Sequence[MetadataLine], name: str) -> Timeframe | None:
    """The timeframe of the `# timeframe:` comment, if there is one."""
    declared = _declared(metadata, "timeframe", name)
    if declared is None:
        return None
    try:
        return Timeframe.parse(declared.value)
    except ValueError as exc:
        raise CandleFileError(
            name, declared.line, f"invalid '# timeframe:' header: {exc}"
        ) from None


def _declared(metadata: Sequence[MetadataLine], key: str, name: str) -> MetadataLine | None:
    found = [item for item in metadata if item.key == key]
    for item in found[1:]:
        if item.value != found[0].value:
            raise CandleFileError(
                name,
                item.line,
                f"'# {key}: {item.value}' contradicts '# {key}: {found[0].value}' "
                f"on line {found[0].line}",
            )
    return found[0] if found else None
