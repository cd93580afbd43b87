"""Every refusal is a CandleFileError naming the file, the line and the reason."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.adapters.candle_files import CandleFileError, inspect_candle_file
from peak_trade.domain.symbols import Symbol

MakeFile = Callable[[str | bytes], Path]  # the conftest fixture
HEADER = "time,open,high,low,close,volume\n"
ROW0 = "2026-01-01T00:00:00Z,100,110,90,105,1.5\n"
ROW1 = "2026-01-01T00:01:00Z,105,112,101,110,2\n"


def _row(minute: int, values: str = "100,110,90,105,1.5") -> str:
    return f"2026-01-01T00:{minute:02d}:00Z,{values}\n"


# each case: file content, the line named (None: the whole file), a phrase of the reason
REFUSALS = [
    pytest.param(
        HEADER.encode() + ROW0.encode() + b"2026-01-01T00:01:00Z,1\xff,2,1,1,1\n",
        3,
        "bytes that are not UTF-8 (0xff",
        id="undecodable row",
    ),
    pytest.param(
        b"# source: caf\xe9\n" + HEADER.encode() + ROW0.encode(),
        1,
        "not UTF-8",
        id="undecodable comment",
    ),
    pytest.param(
        HEADER + ROW0 + "2026-01-01T00:01:00Z,105,112,101,110\n",
        3,
        "expected 6 columns",
        id="wrong column count",
    ),
    pytest.param(
        HEADER + ROW0 + _row(1, "105,112,101,110,2,"), 3, "expected 6 columns", id="trailing comma"
    ),
    pytest.param(
        "Zeit,Eroeffnung,Hoch,Tief,Schluss\n" + ROW0, 1, "unknown header", id="unknown header"
    ),
    pytest.param(
        "time,open,high,low,volume\n" + ROW0, 1, "no close column", id="header without close"
    ),
    pytest.param(
        "date,time,open,high,low,close\n2026-01-01,1,1,1,1,1\n",
        1,
        "two time columns",
        id="two time columns",
    ),
    pytest.param(
        "time,open,open,high,low,close\n" + ROW0, 1, "'open' appears twice", id="duplicate column"
    ),
    pytest.param("1767225600,1,2,0.5,1.5\n", 1, "a line of 5 columns", id="headerless width"),
    pytest.param(
        HEADER + ROW0 + "2026-13-01T00:01:00Z,105,112,101,110,2\n",
        3,
        "unparseable time '2026-13-01T00:01:00Z'",
        id="unparseable time",
    ),
    pytest.param(
        "1767225600,1,2,0.5,1.5,1\n2026-01-01T00:01:00Z,1,2,0.5,1.5,1\n",
        2,
        "this file's times are epoch numbers",
        id="ISO time in an epoch file",
    ),
    pytest.param(
        "1767225600,1,2,0.5,1.5,1\n1767225660.5,1,2,0.5,1.5,1\n",
        2,
        "unparseable time '1767225660.5'",
        id="fractional epoch",
    ),
    pytest.param(
        HEADER + ROW0 + _row(1, "105,112,101,110,\u0662"),
        3,
        "U+0662 ARABIC-INDIC DIGIT TWO",
        id="Arabic-Indic digit",
    ),
    pytest.param(
        "1767225600,1,2,0.5,1.5,1\n176722566\uff10,1,2,0.5,1.5,1\n",
        2,
        "FULLWIDTH DIGIT ZERO",
        id="fullwidth digit in epoch time",
    ),
    pytest.param(
        HEADER + ROW0 + _row(1, "1_05,112,101,110,2"), 3, "'_'", id="underscore in a number"
    ),
    pytest.param(
        HEADER + ROW0 + _row(1, "105,abc,101,110,2"),
        3,
        "high 'abc' is not a decimal",
        id="not a number",
    ),
    pytest.param(
        HEADER + _row(0, "NaN,110,90,105,1.5"), 2, "open: Decimal('NaN') is not a finite", id="NaN"
    ),
    pytest.param(
        HEADER + _row(0, "100,Infinity,90,105,1.5"), 2, "is not a finite number", id="Infinity"
    ),
    pytest.param(
        HEADER + _row(0, "100,110,90,105,sNaN"),
        2,
        "not a finite number",
        id="signalling NaN volume",
    ),
    pytest.param(
        HEADER + _row(0, "0,110,90,105,1.5"), 2, "candle prices must be positive", id="zero price"
    ),
    pytest.param(
        HEADER + _row(0, "100,110,-90,105,1.5"), 2, "prices must be positive", id="negative price"
    ),
    pytest.param(
        HEADER + _row(0, "100,110,90,105,-1"), 2, "candle volume must be >= 0", id="negative volume"
    ),
    pytest.param(
        HEADER + _row(0, "100,104,90,105,1"),
        2,
        "high/low inconsistent with open/close (open=100 high=104",
        id="high below close",
    ),
    pytest.param(
        HEADER + _row(0, "100,110,101,105,1"), 2, "high/low inconsistent", id="low above open"
    ),
    pytest.param(
        HEADER + ROW0 + ROW0,
        3,
        "2026-01-01T00:00:00Z repeats the previous row's time",
        id="repeated time",
    ),
    pytest.param(
        HEADER + ROW1 + ROW0,
        3,
        "2026-01-01T00:00:00Z is before the previous row's 2026-01-01T00:01:00Z",
        id="earlier time",
    ),
    pytest.param(
        HEADER + "1969-12-31T23:59:00Z,1,1,1,1,1\n", 2, "before 1970-01-01", id="before 1970"
    ),
    pytest.param("-60,1,1,1,1,1\n", 1, "before 1970-01-01", id="negative epoch"),
    pytest.param(
        HEADER + "9999-12-31T00:00:00Z,1,1,1,1,1\n", 2, "far-off timestamp", id="year 9999 first"
    ),
    pytest.param(
        HEADER + ROW0 + "9999-12-31T00:00:00Z,1,1,1,1,1\n",
        3,
        "far-off timestamp 9999-12-31T00:00:00Z",
        id="year 9999 later",
    ),
    pytest.param(
        HEADER + ROW0 + "2100-01-01T00:00:00Z,1,1,1,1,1\n", 3, "before 2100-01-01", id="year 2100"
    ),
    pytest.param(
        HEADER + ROW0 + "2027-01-03T00:00:00Z,1,1,1,1,1\n",
        3,
        "far-off timestamp 2027-01-03T00:00:00Z: 367 days after",
        id="gap over 366 days",
    ),
    pytest.param(
        "1767225600000000000,1,2,0.5,1.5,1\n", 1, "looks like nanoseconds", id="nanoseconds"
    ),
    pytest.param("", None, "the file is empty", id="empty file"),
    pytest.param("\n\n  \n", None, "nothing but blank lines", id="blank lines only"),
    pytest.param(
        "# peak_trade candles v1\n# symbol: BTC/EUR\n",
        None,
        "only comment lines",
        id="comments only",
    ),
    pytest.param(
        "# symbol: BTC/EUR\n" + HEADER + "\n", 2, "header but no rows", id="header but no rows"
    ),
    pytest.param(
        HEADER + ROW0 + "# late comment\n" + ROW1,
        3,
        "comments go before the header",
        id="comment among rows",
    ),
    pytest.param(
        HEADER + _row(0) + _row(1) + _row(3) + "2026-01-01T00:04:30Z,1,1,1,1,1\n",
        5,
        "is 90s after the previous row's 2026-01-01T00:03:00Z: not a whole multiple of 1m",
        id="spacing not a multiple",
    ),
    pytest.param(
        "# timeframe: 5m\n" + HEADER + _row(0) + _row(5) + _row(12),
        5,
        "7m after the previous row's 2026-01-01T00:05:00Z: not a whole multiple of the 5m",
        id="spacing against the header timeframe",
    ),
    pytest.param(
        HEADER + ROW0 + "2026-01-01T00:00:00.250Z,1,1,1,1,1\n",
        3,
        "250000 µs after the previous one",
        id="sub-second spacing",
    ),
    pytest.param(
        "# symbol: BTCEUR\n" + HEADER + ROW0,
        1,
        "invalid '# symbol:' header",
        id="invalid symbol header",
    ),
    pytest.param(
        "# timeframe: 1M\n" + HEADER + ROW0,
        1,
        "months are not a fixed length",
        id="invalid timeframe header",
    ),
    pytest.param(
        "# symbol: BTC/EUR\n# symbol: ETH/EUR\n" + HEADER + ROW0,
        2,
        "'# symbol: ETH/EUR' contradicts '# symbol: BTC/EUR' on line 1",
        id="contradicting symbol headers",
    ),
]


@pytest.mark.parametrize(("content", "line", "phrase"), REFUSALS)
def test_refusal_names_file_line_and_reason(
    make_file: MakeFile, content: str | bytes, line: int | None, phrase: str
) -> None:
    path = make_file(content)
    with pytest.raises(CandleFileError) as caught:
        inspect_candle_file(path)
    error = caught.value
    assert (error.file, error.line) == (str(path), line)
    assert phrase in error.reason
    location = str(path) if line is None else f"{path}:{line}"
    assert str(error) == f"{location}: {error.reason}"


def test_a_given_symbol_contradicting_the_header_says_which_to_pass(make_file: MakeFile) -> None:
    path = make_file("# symbol: BTC/EUR\n" + HEADER + ROW0)
    with pytest.raises(CandleFileError) as caught:
        inspect_candle_file(path, symbol=Symbol.parse("ETH/EUR"))
    assert caught.value.line == 1
    assert "holds BTC/EUR candles" in caught.value.reason
    assert "ETH/EUR was given; pass BTC/EUR" in caught.value.reason


def test_a_given_symbol_matching_the_header_is_accepted(make_file: MakeFile) -> None:
    path = make_file("# symbol: btc/eur\n" + HEADER + ROW0)
    assert inspect_candle_file(path, symbol=Symbol.parse("BTC/EUR")).rows == 1


def test_candle_file_error_is_a_value_error_that_survives_pickling() -> None:
    error = CandleFileError("candles.csv", 7, "bad row")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (copy.file, copy.line, copy.reason, str(copy)) == (
        "candles.csv",
        7,
        "bad row",
        "candles.csv:7: bad row",
    )


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        inspect_candle_file(tmp_path / "missing.csv")
