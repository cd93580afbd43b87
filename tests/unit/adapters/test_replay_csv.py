"""Candle CSV replay files: round trip, header comments, streaming and errors naming file:line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from tests.contract.market_data import BTC_EUR, synthetic_candles

from peak_trade.adapters.in_memory.replay import (
    iter_candles_csv,
    read_csv_header,
    write_candles_csv,
)
from peak_trade.domain.symbols import Symbol, Timeframe

HEADER = (
    "# peak_trade candles v1\n# symbol: BTC/EUR\n# timeframe: 1m\ntime,open,high,low,close,volume\n"
)
GOOD_ROW = "2026-01-01T00:00:00Z,100,110,90,105,1.5\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "candles.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_written_candles_read_back_identically(tmp_path: Path) -> None:
    candles = list(synthetic_candles(50))
    path = tmp_path / "out.csv"
    write_candles_csv(
        path, candles, symbol=BTC_EUR, timeframe=Timeframe.M1, source="synthetic (seed=1)"
    )
    assert list(iter_candles_csv(path)) == candles


def test_header_comments_are_read_as_keys(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_candles_csv(
        path, synthetic_candles(1), symbol=BTC_EUR, timeframe=Timeframe.M5, source="unit test"
    )
    assert read_csv_header(path) == {
        "format": "peak_trade candles v1",
        "symbol": "BTC/EUR",
        "timeframe": "5m",
        "source": "unit test",
    }


def test_writer_never_uses_exponent_notation(tmp_path: Path) -> None:
    candle = next(synthetic_candles(1))
    tiny = type(candle)(
        symbol=BTC_EUR,
        open_time=candle.open_time,
        open=Decimal("1E-8"),
        high=Decimal("2E-8"),
        low=Decimal("1E-8"),
        close=Decimal("2E-8"),
        volume=Decimal("1E+3"),
    )
    path = tmp_path / "tiny.csv"
    write_candles_csv(path, [tiny], symbol=BTC_EUR, timeframe=Timeframe.M1, source="s")
    text = path.read_text(encoding="utf-8")
    assert "0.00000001,0.00000002,0.00000001,0.00000002,1000\n" in text
    assert "E" not in text.split("time,open")[1]


def test_rows_parse_to_decimal_candles_in_utc(tmp_path: Path) -> None:
    (candle,) = iter_candles_csv(_write(tmp_path, HEADER + GOOD_ROW))
    assert candle.symbol == BTC_EUR
    assert candle.open_time.isoformat() == "2026-01-01T00:00:00+00:00"
    assert (candle.open, candle.high, candle.low, candle.close) == (
        Decimal(100),
        Decimal(110),
        Decimal(90),
        Decimal(105),
    )
    assert candle.volume == Decimal("1.5")
    assert candle.closed


def test_explicit_symbol_wins_and_files_without_comments_are_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,open,high,low,close,volume\n" + GOOD_ROW)
    eth = Symbol.parse("ETH/EUR")
    assert [c.symbol for c in iter_candles_csv(path, eth)] == [eth]


def test_missing_symbol_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "time,open,high,low,close,volume\n" + GOOD_ROW)
    with pytest.raises(ValueError, match=r"candles\.csv: no '# symbol:'"):
        iter_candles_csv(path)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2026-01-01T00:01:00Z,100,110,90\n", "expected 6 fields"),
        ("2026-01-01T00:01:00,100,110,90,105,1\n", "invalid time"),
        ("2026-01-01T00:01:00+01:00,100,110,90,105,1\n", "invalid time"),
        ("yesterday Z,100,110,90,105,1\n", "invalid time"),
        ("2026-01-01T00:01:00Z,100,abc,90,105,1\n", "not a decimal"),
        ("2026-01-01T00:01:00Z,100,110,90,NaN,1\n", "not a finite number"),
        ("2026-01-01T00:01:00Z,100,95,90,105,1\n", "high/low inconsistent"),
        ("2026-01-01T00:00:00Z,100,110,90,105,1\n", "is not after"),
    ],
)
def test_malformed_row_error_names_file_and_line(tmp_path: Path, row: str, problem: str) -> None:
    path = _write(tmp_path, HEADER + GOOD_ROW + row)
    rows = iter_candles_csv(path)
    assert next(rows).close == Decimal(105)  # streaming: the good row comes first
    with pytest.raises(ValueError, match=problem) as info:
        next(rows)
    assert f"{path}:6:" in str(info.value)


def test_wrong_header_line_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "# symbol: BTC/EUR\ntime,o,h,l,c,v\n" + GOOD_ROW)
    with pytest.raises(ValueError, match=rf"{path}:2: expected header"):
        list(iter_candles_csv(path))


def test_file_without_header_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "# symbol: BTC/EUR\n")
    with pytest.raises(ValueError, match="no header line"):
        list(iter_candles_csv(path))


def test_writer_refuses_a_candle_of_another_symbol(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    with pytest.raises(ValueError, match="ETH/EUR"):
        write_candles_csv(
            path,
            synthetic_candles(1, symbol=Symbol.parse("ETH/EUR")),
            symbol=BTC_EUR,
            timeframe=Timeframe.M1,
            source="s",
        )
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
