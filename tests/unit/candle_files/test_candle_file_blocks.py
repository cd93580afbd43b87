"""Long files are validated and streamed a block of lines at a time (each column parsed in one
pass): the same candles, extent, gaps, refusals and line numbers as the careful row-by-row
reader (`checked_row`, the oracle here) gives for every row."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.candle_files import CandleFileError, inspect_candle_file, iter_candle_file
from peak_trade.adapters.candle_files.rows import checked_row
from peak_trade.adapters.candle_files.timestamps import datetime_to_micros
from peak_trade.domain.symbols import Symbol

MakeFile = Callable[[str | bytes], Path]  # the conftest fixture
BTC_EUR = Symbol.parse("BTC/EUR")
T0 = datetime(2026, 1, 1, tzinfo=UTC)
ROWS = 6000  # well over one block of lines: blocks end and start in the middle of the data


def _prices(rng: random.Random, odd: bool = False) -> tuple[str, str, str, str, str]:
    """open, high, low, close, volume as a trader's file may write them; an `odd` row writes
    a tie otherwise (60000 / 60000.0) and uses exponents: such a row sends its block down the
    row-by-row path, the other blocks are read column by column."""
    low = rng.randint(50_000, 60_000)
    open_, close = low + rng.randint(0, 40), low + rng.randint(0, 40)
    high = max(open_, close) + rng.choice([0, 0, 1, 7])
    texts = [str(open_), str(high), str(low), str(close)]
    volume = rng.choice(["0", "1.5", "2.50", str(rng.randint(0, 99))])
    if odd:
        texts[1] = f"{high}.0"
        texts[2] = f"{low - 1}.90"
        volume = rng.choice(["1e-3", "3E+2"])
    return texts[0], texts[1], texts[2], texts[3], volume


def _iso(moment: datetime, style: str) -> str:
    if style == "offset":
        return moment.astimezone(timezone(timedelta(hours=2))).isoformat()
    if style == "naive":
        return moment.replace(tzinfo=None).isoformat(sep=" ")
    return moment.isoformat().replace("+00:00", "Z")


def _long_file(style: str, rng: random.Random) -> tuple[str, int]:
    """A long file of `style` with gaps, blank lines and odd spellings; (text, header lines)."""
    lines = []
    header = {
        "iso": "time,open,high,low,close,volume",
        "offset": "time,open,high,low,close,volume",
        "naive": "date,open,high,low,close,volume",
        "seconds": None,  # Kraken OHLCVT: no header, 7 columns
        "millis_then_micros": "timestamp,open,high,low,close,volume",
        "no_volume": "time,open,high,low,close",
    }[style]
    minute = 0
    for index in range(ROWS):
        minute += rng.choice([1, 1, 1, 1, 2, 5])  # gaps: minutes without trades
        moment = T0 + timedelta(minutes=minute)
        open_, high, low, close, volume = _prices(rng, odd=index % 2500 == 17)
        epoch = int(moment.timestamp())
        if style == "seconds":
            lines.append(f"{epoch},{open_},{high},{low},{close},{volume},{rng.randint(1, 9)}")
        elif style == "millis_then_micros":  # Binance spot files switched units in 2025
            stamp = epoch * 1000 if index < ROWS // 2 else epoch * 1_000_000
            lines.append(f"{stamp},{open_},{high},{low},{close},{volume}")
        elif style == "no_volume":
            lines.append(f"{_iso(moment, 'iso')},{open_},{high},{low},{close}")
        else:
            lines.append(f"{_iso(moment, style)},{open_},{high},{low},{close},{volume}")
        if rng.random() < 0.001:
            lines.append("")  # a blank line among the rows
    head = [header] if header else []
    return "\n".join([*head, *lines]) + "\n", len(head)


@pytest.mark.parametrize(
    "style", ["iso", "offset", "naive", "seconds", "millis_then_micros", "no_volume"]
)
def test_a_long_file_reads_as_the_careful_reader_reads_each_row(
    make_file: MakeFile, style: str
) -> None:
    text, header_lines = _long_file(style, random.Random(style))
    path = make_file(text.replace("\n", "\r\n") if style == "iso" else text)
    info = inspect_candle_file(path, symbol=BTC_EUR)
    layout = info.layout
    rows = [checked_row(line, layout) for line in text.splitlines()[header_lines:] if line]
    candles = list(iter_candle_file(info, BTC_EUR))
    assert len(candles) == info.rows == len(rows) == ROWS
    for candle, (micros, open_, high, low, close, volume) in zip(candles, rows, strict=True):
        assert datetime_to_micros(candle.open_time) == micros
        assert candle.open_time.tzinfo is UTC
        got = (candle.open, candle.high, candle.low, candle.close, candle.volume)
        assert [str(v) for v in got] == [str(v) for v in (open_, high, low, close, volume)]
    assert datetime_to_micros(info.first_open_time) == rows[0][0]
    assert datetime_to_micros(info.last_open_time) == rows[-1][0]
    assert info.timeframe is not None
    assert info.timeframe.seconds == 60
    assert info.gaps == (rows[-1][0] - rows[0][0]) // 60_000_000 - (ROWS - 1)


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("{t},100,99,90,95,1", "candle high/low inconsistent with open/close"),
        ("{t},100,110,90,95,-1", "volume must be >= 0"),
        # equal as floats, high below open as decimals: only the Decimals may decide
        ("{t},0.10000000000000000001,0.1,0.05,0.06,1", "candle high/low inconsistent"),
        ("{t},100,110,nan,95,1", "is not a finite number"),
        ("{t},100,110,90,95", "expected 6 columns"),
        ("2025-12-31T00:00:00Z,100,110,90,95,1", "is before the previous row's"),
        ("{t},100,11O,90,95,1", "high '11O' is not a decimal number"),
    ],
)
def test_a_broken_row_deep_in_a_long_file_is_refused_with_its_line(
    make_file: MakeFile, broken: str, reason: str
) -> None:
    rng = random.Random(7)
    rows = []
    for minute in range(ROWS):
        open_, high, low, close, volume = _prices(rng)
        stamp = _iso(T0 + timedelta(minutes=minute), "iso")
        rows.append(f"{stamp},{open_},{high},{low},{close},{volume}")
    at = 4_321  # in a later block, not at its start
    rows[at] = broken.format(t=_iso(T0 + timedelta(minutes=at), "iso"))
    path = make_file("time,open,high,low,close,volume\n" + "\n".join(rows) + "\n")
    with pytest.raises(CandleFileError) as refused:
        inspect_candle_file(path, symbol=BTC_EUR)
    assert refused.value.line == at + 2  # the header is line 1
    assert reason in refused.value.reason


def test_the_smallest_spacing_is_named_by_its_line_in_a_later_block(make_file: MakeFile) -> None:
    rows = [f"{_iso(T0 + timedelta(minutes=2 * i), 'iso')},100,110,90,105,1" for i in range(ROWS)]
    # a 1-minute step late in the file: the inferred timeframe is 1m, and every other
    # (2-minute) step is a whole multiple of it
    late = ROWS - 10
    rows.insert(late, f"{_iso(T0 + timedelta(minutes=2 * late - 1), 'iso')},100,110,90,105,1")
    info = inspect_candle_file(make_file("time,open,high,low,close,volume\n" + "\n".join(rows)))
    assert info.timeframe is not None
    assert info.timeframe.seconds == 60
    assert info.rows == ROWS + 1
    assert Decimal(info.gaps) == Decimal(2 * (ROWS - 1) - ROWS)
