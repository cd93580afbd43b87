"""Every supported format is detected and read to the same candles; metadata and gaps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.candle_files import (
    CandleFileFormat,
    CandleFileInfo,
    MetadataSource,
    inspect_candle_file,
    iter_candle_file,
)
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe

MakeFile = Callable[[str | bytes], Path]  # the conftest fixture
BTC_EUR = Symbol.parse("BTC/EUR")
# The six candles every 1m sample holds; 00:02 and 00:05 are missing (no trades).
ROWS = [
    (0, "60000", "60088.3", "59987.3", "60075.7", "3.93001844"),
    (1, "60075.7", "60081.5", "60023.1", "60080.1", "11.50940221"),
    (3, "60063.1", "60083.6", "60010.3", "60046.1", "32.82528099"),
    (4, "60046.1", "60064.8", "59887.2", "59905.8", "4.47567087"),
    (6, "59930.3", "59998.6", "59923.9", "59977", "10.87039189"),
    (7, "59977", "60012.2", "59956.9", "59964.1", "0.5"),
]
EXPECTED = [
    Candle(
        symbol=BTC_EUR,
        open_time=datetime(2026, 1, 1, 0, minute, tzinfo=UTC),
        open=Decimal(o),
        high=Decimal(h),
        low=Decimal(low),
        close=Decimal(c),
        volume=Decimal(v),
    )
    for minute, o, h, low, c, v in ROWS
]
ONE_MINUTE_SAMPLES = {
    "v1_btc_eur_1m.csv": CandleFileFormat.PEAK_TRADE_V1,
    "v1_btc_eur_1m_bom_crlf.csv": CandleFileFormat.PEAK_TRADE_V1,
    "kraken_XBTEUR_1.csv": CandleFileFormat.KRAKEN_OHLCVT,
    "kraken_XBTEUR_1_bom_crlf.csv": CandleFileFormat.KRAKEN_OHLCVT,
    "binance_BTCEUR-1m_ms_then_us.csv": CandleFileFormat.BINANCE_KLINES,
    "ccxt_btc_eur_1m.csv": CandleFileFormat.CCXT_OHLCV,
    "headed_offsets_extra_columns.csv": CandleFileFormat.HEADED_CSV,
    "headerless_6col_iso.csv": CandleFileFormat.HEADERLESS_OHLCV,
}
DAILY_SAMPLES = {
    "yahoo_BTC-EUR_1d_adj_close.csv": CandleFileFormat.YAHOO,
    "yahoo_BTC-EUR_1d_bom_crlf.csv": CandleFileFormat.YAHOO,
    "backtesting_py_unnamed_index.csv": CandleFileFormat.YAHOO,
}


def _read(path: Path, symbol: Symbol = BTC_EUR) -> tuple[CandleFileInfo, list[Candle]]:
    info = inspect_candle_file(path, symbol=symbol)
    return info, list(iter_candle_file(info, symbol))


@pytest.mark.parametrize(("name", "expected_format"), ONE_MINUTE_SAMPLES.items())
def test_each_format_is_detected_and_reads_to_the_same_candles(
    samples: Path, name: str, expected_format: CandleFileFormat
) -> None:
    info, candles = _read(samples / name)
    assert info.format is expected_format
    assert candles == EXPECTED
    assert (info.rows, info.first_open_time, info.last_open_time) == (
        6,
        EXPECTED[0].open_time,
        EXPECTED[-1].open_time,
    )


@pytest.mark.parametrize("name", ONE_MINUTE_SAMPLES)
def test_missing_minutes_are_counted_as_gaps(samples: Path, name: str) -> None:
    info = inspect_candle_file(samples / name)
    assert (info.timeframe, info.gaps) == (Timeframe.M1, 2)


def test_binance_open_times_switch_from_milliseconds_to_microseconds(samples: Path) -> None:
    _, candles = _read(samples / "binance_BTCEUR-1m_ms_then_us.csv")
    lines = (samples / "binance_BTCEUR-1m_ms_then_us.csv").read_text().splitlines()
    assert [len(line.split(",")[0]) for line in lines] == [13, 13, 13, 16, 16, 16]
    assert [c.open_time.minute for c in candles] == [0, 1, 3, 4, 6, 7]


def test_a_missing_volume_column_reads_as_zero_volume(samples: Path) -> None:
    info, candles = _read(samples / "headed_epoch_seconds_no_volume.csv")
    assert info.format is CandleFileFormat.HEADED_CSV
    assert [c.volume for c in candles] == [Decimal(0)] * 6
    assert [c.close for c in candles] == [c.close for c in EXPECTED]


@pytest.mark.parametrize(("name", "expected_format"), DAILY_SAMPLES.items())
def test_yahoo_style_dates_are_utc_midnights_and_adj_close_is_ignored(
    samples: Path, name: str, expected_format: CandleFileFormat
) -> None:
    info, candles = _read(samples / name)
    assert info.format is expected_format
    assert [c.open_time for c in candles] == [
        datetime(2020, 1, day, tzinfo=UTC) for day in (2, 3, 6, 7)
    ]
    assert (candles[0].open, candles[0].close, candles[0].volume) == (
        Decimal("7194.89"),
        Decimal("7200.17"),
        Decimal(18565664),
    )
    assert (info.timeframe, info.timeframe_source, info.gaps) == (
        Timeframe.D1,
        MetadataSource.INFERRED,
        2,  # the weekend
    )


def test_v1_header_gives_symbol_and_timeframe(samples: Path) -> None:
    info = inspect_candle_file(samples / "v1_btc_eur_1m.csv")
    assert (info.symbol, info.symbol_source) == (BTC_EUR, MetadataSource.HEADER)
    assert (info.timeframe, info.timeframe_source) == (Timeframe.M1, MetadataSource.HEADER)


def test_a_file_without_metadata_takes_the_given_symbol_and_infers_the_timeframe(
    samples: Path,
) -> None:
    info = inspect_candle_file(samples / "kraken_XBTEUR_1.csv", symbol=BTC_EUR)
    assert (info.symbol, info.symbol_source) == (BTC_EUR, MetadataSource.GIVEN)
    assert (info.timeframe, info.timeframe_source) == (Timeframe.M1, MetadataSource.INFERRED)


def test_without_metadata_or_a_given_symbol_the_symbol_is_unknown(samples: Path) -> None:
    info = inspect_candle_file(samples / "ccxt_btc_eur_1m.csv")
    assert (info.symbol, info.symbol_source) == (None, None)


def test_a_single_row_file_has_no_timeframe(make_file: MakeFile) -> None:
    info = inspect_candle_file(make_file("1767225600,1,2,0.5,1.5,3\n"))
    assert (info.rows, info.timeframe, info.timeframe_source, info.gaps) == (1, None, None, 0)


def test_a_single_row_file_keeps_its_header_timeframe(make_file: MakeFile) -> None:
    path = make_file("# timeframe: 4h\ntime,open,high,low,close\n2026-01-01T00:00:00Z,1,1,1,1\n")
    info = inspect_candle_file(path)
    assert (info.timeframe, info.timeframe_source) == (Timeframe.H4, MetadataSource.HEADER)


def test_the_timeframe_is_the_smallest_spacing_when_every_gap_is_a_multiple(
    make_file: MakeFile,
) -> None:
    times = ["00:00", "00:15", "00:45", "01:00"]
    path = make_file(
        "time,open,high,low,close,volume\n"
        + "".join(f"2026-01-01T{t}:00Z,1,1,1,1,0\n" for t in times)
    )
    info = inspect_candle_file(path)
    assert (info.timeframe, info.gaps) == (Timeframe.M15, 1)


def test_an_offset_time_is_converted_to_utc(make_file: MakeFile) -> None:
    path = make_file("Datetime,Open,High,Low,Close\n2026-01-01T02:30:00+02:30,1,1,1,1\n")
    (candle,) = _read(path)[1]
    assert candle.open_time == datetime(2026, 1, 1, tzinfo=UTC)
    assert candle.open_time.tzinfo is UTC


def test_header_names_ignore_case_surrounding_space_and_quotes(make_file: MakeFile) -> None:
    path = make_file(' "OPEN_TIME" , Open ,HIGH,low,"Close",VOLUME\n1767225600000,1,2,0.5,1.5,7\n')
    info, (candle,) = _read(path)
    assert info.format is CandleFileFormat.HEADED_CSV
    assert (candle.high, candle.volume) == (Decimal(2), Decimal(7))


def test_times_with_surrounding_space_read_the_same(make_file: MakeFile) -> None:
    path = make_file(
        "time,open,high,low,close,volume\n"
        "2026-01-01T00:00:00Z,1,2,0.5,1.5,3\n"
        " 2026-01-01T00:01:00Z ,1,2,0.5,1.5,3\n"
    )
    info, candles = _read(path)
    assert [c.open_time.minute for c in candles] == [0, 1]
    assert info.rows == 2


def test_every_format_has_a_description() -> None:
    assert all(len(fmt.description) > 20 for fmt in CandleFileFormat)
    assert "Kraken" in CandleFileFormat.KRAKEN_OHLCVT.description
