"""The v1 writer: round trip, header, no exponents, atomic replace, overwrite refusal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from tests.contract.market_data import BTC_EUR, synthetic_candles

from peak_trade.adapters.candle_files import (
    CandleFileFormat,
    MetadataSource,
    inspect_candle_file,
    iter_candle_file,
    read_candle_header,
    write_candles_csv,
)
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe


def _write(path: Path, candles: Iterable[Candle], *, overwrite: bool = True) -> int:
    return write_candles_csv(
        path,
        candles,
        symbol=BTC_EUR,
        timeframe=Timeframe.M1,
        source="unit test",
        overwrite=overwrite,
    )


def test_written_candles_read_back_identically_as_v1(tmp_path: Path) -> None:
    candles = list(synthetic_candles(50))
    path = tmp_path / "out.csv"
    assert _write(path, candles) == 50
    info = inspect_candle_file(path)
    assert info.format is CandleFileFormat.PEAK_TRADE_V1
    assert (info.symbol, info.symbol_source) == (BTC_EUR, MetadataSource.HEADER)
    assert (info.timeframe, info.timeframe_source) == (Timeframe.M1, MetadataSource.HEADER)
    assert list(iter_candle_file(info, BTC_EUR)) == candles


def test_header_comments_are_read_as_keys(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_candles_csv(
        path,
        synthetic_candles(1),
        symbol=BTC_EUR,
        timeframe=Timeframe.M5,
        source="two\nlines",
    )
    assert read_candle_header(path) == {
        "format": "peak_trade candles v1",
        "symbol": "BTC/EUR",
        "timeframe": "5m",
        "source": "two lines",
    }


def test_writer_never_uses_exponent_notation(tmp_path: Path) -> None:
    candle = next(synthetic_candles(1))
    tiny = Candle(
        symbol=BTC_EUR,
        open_time=candle.open_time,
        open=Decimal("1E-8"),
        high=Decimal("2E-8"),
        low=Decimal("1E-8"),
        close=Decimal("2E-8"),
        volume=Decimal("1E+3"),
    )
    path = tmp_path / "tiny.csv"
    _write(path, [tiny])
    assert path.read_text(encoding="utf-8").endswith(
        "T00:00:00Z,0.00000001,0.00000002,0.00000001,0.00000002,1000\n"
    )


def test_overwrite_false_refuses_an_existing_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("precious\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists"):
        _write(path, synthetic_candles(3), overwrite=False)
    assert path.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_overwrite_false_creates_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    _write(path, synthetic_candles(3), overwrite=False)
    assert inspect_candle_file(path).rows == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.csv"]


def test_overwrite_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    _write(path, synthetic_candles(3))
    _write(path, synthetic_candles(7))
    assert inspect_candle_file(path).rows == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failure_while_writing_keeps_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    _write(path, synthetic_candles(3))
    before = path.read_bytes()

    def failing() -> Iterator[Candle]:
        yield from synthetic_candles(2)
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        _write(path, failing())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_candle_of_another_symbol_is_refused(tmp_path: Path) -> None:
    other = next(synthetic_candles(1, symbol=Symbol.parse("ETH/EUR")))
    with pytest.raises(ValueError, match="candle for ETH/EUR in a BTC/EUR file"):
        _write(tmp_path / "out.csv", [other])
    assert list(tmp_path.iterdir()) == []


def test_candles_out_of_order_or_off_the_timeframe_are_refused(tmp_path: Path) -> None:
    first, second = synthetic_candles(2)
    shifted = Candle(
        symbol=BTC_EUR,
        open_time=second.open_time + timedelta(seconds=30),
        open=second.open,
        high=second.high,
        low=second.low,
        close=second.close,
    )
    for candles in ([second, first], [first, first], [first, shifted]):
        with pytest.raises(ValueError, match="by a whole number of 1m candles"):
            _write(tmp_path / "out.csv", candles)
    assert list(tmp_path.iterdir()) == []
