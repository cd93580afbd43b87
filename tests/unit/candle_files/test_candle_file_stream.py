"""iter_candle_file streams exactly the validated rows and notices a file that changed."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.contract.market_data import BTC_EUR, synthetic_candles

from peak_trade.adapters.candle_files import (
    CandleFileError,
    inspect_candle_file,
    iter_candle_file,
    write_candles_csv,
)
from peak_trade.domain.symbols import Symbol, Timeframe

MakeFile = Callable[[str | bytes], Path]  # the conftest fixture
HEADER = "time,open,high,low,close,volume\n"


def _kraken_rows(count: int) -> str:
    return "".join(f"{1767225600 + 60 * i},100,110,90,105,{i}\n" for i in range(count))


def test_streams_the_rows_validation_counted(make_file: MakeFile) -> None:
    path = make_file(_kraken_rows(500))
    info = inspect_candle_file(path)
    candles = list(iter_candle_file(info, BTC_EUR))
    assert len(candles) == info.rows == 500
    assert (candles[0].open_time, candles[-1].open_time) == (
        info.first_open_time,
        info.last_open_time,
    )
    assert all(c.symbol == BTC_EUR and c.closed for c in candles)


def test_a_file_appended_to_after_validation_is_refused(make_file: MakeFile) -> None:
    path = make_file(_kraken_rows(3))
    info = inspect_candle_file(path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("1767225780,100,110,90,105,1\n")
    with pytest.raises(CandleFileError, match="changed after it was validated") as caught:
        iter_candle_file(info, BTC_EUR)
    assert (caught.value.file, caught.value.line) == (str(path), None)


def test_a_file_replaced_by_one_of_the_same_size_and_time_is_refused(make_file: MakeFile) -> None:
    path = make_file(_kraken_rows(3))
    info = inspect_candle_file(path)
    stat = path.stat()
    other = path.with_name("other.csv")
    other.write_text(_kraken_rows(3).replace(",100,", ",101,"), encoding="utf-8")
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(other, path)  # same size and mtime: only the inode tells
    with pytest.raises(CandleFileError, match="changed after it was validated"):
        iter_candle_file(info, BTC_EUR)


def test_a_file_changed_while_streaming_is_refused_at_the_end(make_file: MakeFile) -> None:
    path = make_file(_kraken_rows(3))
    info = inspect_candle_file(path)
    candles = iter_candle_file(info, BTC_EUR)
    next(candles)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("1767225780,100,110,90,105,1\n")
    with pytest.raises(CandleFileError, match="changed after it was validated"):
        list(candles)


def test_streaming_another_symbol_than_the_header_declares_is_refused(make_file: MakeFile) -> None:
    path = make_file("# symbol: BTC/EUR\n" + HEADER + "2026-01-01T00:00:00Z,1,1,1,1,1\n")
    info = inspect_candle_file(path)
    with pytest.raises(CandleFileError, match="holds BTC/EUR candles but ETH/EUR"):
        iter_candle_file(info, Symbol.parse("ETH/EUR"))


def test_rows_read_on_the_careful_path_equal_the_plain_ones(make_file: MakeFile) -> None:
    plain = inspect_candle_file(
        make_file(HEADER + "2026-01-01T00:00:00Z,1,2,0.5,1.5,3\n2026-01-01T00:01:00Z,1,2,1,1,0\n")
    )
    expected = list(iter_candle_file(plain, BTC_EUR))
    padded = inspect_candle_file(
        make_file(HEADER + " 2026-01-01T00:00:00Z,1,2,0.5,1.5,3\n2026-01-01 00:01:00 ,1,2,1,1,0\n")
    )
    assert list(iter_candle_file(padded, BTC_EUR)) == expected


def test_streaming_holds_one_candle_at_a_time_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_candles_csv(
        path, synthetic_candles(20_000), symbol=BTC_EUR, timeframe=Timeframe.M1, source="test"
    )
    info = inspect_candle_file(path)
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_candle_file(info, BTC_EUR))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 1_000_000  # 20,000 candles held at once take about 10 MB


def test_a_switch_from_seconds_to_milliseconds_is_never_read_as_a_repeated_step(
    make_file: MakeFile,
) -> None:
    # 1970: the second row is one minute after the first, in ms; the third row's number is the
    # second's plus the same numeric difference, yet it lies 115 days later
    path = make_file("10000000,1,1,1,1,1\n10000060000,1,1,1,1,1\n19990120000,1,1,1,1,1\n")
    info = inspect_candle_file(path)
    times = [c.open_time for c in iter_candle_file(info, BTC_EUR)]
    assert times == [
        datetime(1970, 4, 26, 17, 46, 40, tzinfo=UTC),
        datetime(1970, 4, 26, 17, 47, 40, tzinfo=UTC),
        datetime(1970, 8, 20, 8, 48, 40, tzinfo=UTC),
    ]
    assert times[-1] == info.last_open_time
