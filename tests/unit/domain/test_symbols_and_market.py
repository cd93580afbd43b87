"""Symbols, timeframes, candles, candle batches, tickers and UTC helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from peak_trade.domain.market import Candle, CandleBatch, Ticker, ohlcv_valid
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc, require_utc, utc_midnight

BTC_EUR = Symbol("BTC", "EUR")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def candle(minute: int = 0, *, closed: bool = True, **prices: str) -> Candle:
    values = {"open": "100", "high": "110", "low": "90", "close": "105", "volume": "2"} | prices
    return Candle(
        symbol=BTC_EUR,
        open_time=T0 + timedelta(minutes=minute),
        closed=closed,
        **values,  # type: ignore[arg-type]
    )


# --- Symbol ------------------------------------------------------------------------------------


def test_symbol_parse_normalises_case_and_space() -> None:
    assert Symbol.parse(" btc / eur ") == BTC_EUR
    assert str(Symbol.parse("eth/usdt")) == "ETH/USDT"


@pytest.mark.parametrize("text", ["BTCEUR", "BTC/EUR/USD", "", "/EUR", "BTC/"])
def test_symbol_parse_refuses_other_shapes(text: str) -> None:
    with pytest.raises(ValueError, match=r"BASE/QUOTE|invalid (base|quote) asset code"):
        Symbol.parse(text)


def test_symbol_refuses_lower_case_or_odd_asset_codes() -> None:
    with pytest.raises(ValueError, match="invalid base asset code 'btc'"):
        Symbol("btc", "EUR")
    with pytest.raises(ValueError, match="invalid quote asset code 'E-R'"):
        Symbol("BTC", "E-R")


def test_symbol_asset_code_length_limit() -> None:
    assert Symbol("A" * 16, "EUR").base == "A" * 16
    with pytest.raises(ValueError, match="invalid base asset code"):
        Symbol("A" * 17, "EUR")


def test_symbol_refuses_same_base_and_quote() -> None:
    with pytest.raises(ValueError, match="base and quote must differ"):
        Symbol("EUR", "EUR")


def test_symbol_parse_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="BASE/QUOTE"):
        Symbol.parse(42)  # type: ignore[arg-type]


def test_symbols_are_hashable_and_ordered() -> None:
    assert {BTC_EUR: 1}[Symbol.parse("BTC/EUR")] == 1
    assert sorted([Symbol("ETH", "EUR"), BTC_EUR]) == [BTC_EUR, Symbol("ETH", "EUR")]


# --- Timeframe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "minutes"),
    [
        ("1m", 1),
        ("5m", 5),
        ("15m", 15),
        ("30m", 30),
        ("1h", 60),
        ("4h", 240),
        ("1d", 1440),
        ("1w", 10080),
        ("15d", 21600),
    ],
)
def test_timeframe_labels_map_to_minutes(label: str, minutes: int) -> None:
    timeframe = Timeframe.parse(label)
    assert timeframe.minutes == minutes
    assert timeframe.seconds == minutes * 60
    assert str(timeframe) == label


@pytest.mark.parametrize(
    ("label", "seconds", "canonical"),
    [("90s", 90, "90s"), ("3m", 180, "3m"), ("120m", 7200, "2h"), ("14d", 1209600, "2w")],
)
def test_timeframes_are_venue_neutral_lengths_with_a_canonical_label(
    label: str, seconds: int, canonical: str
) -> None:
    timeframe = Timeframe.parse(label)
    assert timeframe.seconds == seconds
    assert timeframe.label == canonical
    assert Timeframe.parse(canonical) == timeframe


@pytest.mark.parametrize("text", ["2x", "0m", "m", "1.5h", "367d", "", "1M"])
def test_malformed_timeframes_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="unknown timeframe"):
        Timeframe.parse(text)


def test_a_month_is_not_mistaken_for_a_minute() -> None:
    with pytest.raises(ValueError, match="months are not a fixed length"):
        Timeframe.parse("1M")


# --- Candle ------------------------------------------------------------------------------------


def test_candle_converts_prices_to_decimal() -> None:
    c = candle()
    assert c.close == Decimal(105)
    assert c.closed


def test_candle_accepts_high_equal_to_open_and_low_equal_to_close() -> None:
    c = candle(open="110", high="110", low="100", close="100")
    assert c.high == c.open
    assert c.low == c.close


@pytest.mark.parametrize(
    "prices",
    [
        {"high": "104.99"},  # below close
        {"low": "100.01"},  # above open
        {"high": "89", "low": "90"},  # high below low
    ],
)
def test_candle_refuses_inconsistent_high_low(prices: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="high/low inconsistent"):
        candle(**prices)


def test_candle_refuses_non_positive_prices_and_negative_volume() -> None:
    with pytest.raises(ValueError, match="prices must be positive"):
        candle(low="0")
    with pytest.raises(ValueError, match="volume must be >= 0"):
        candle(volume="-0.00000001")
    assert candle(volume="0").volume == 0


def test_candle_refuses_float_prices() -> None:
    with pytest.raises(TypeError, match="float is not accepted"):
        Candle(symbol=BTC_EUR, open_time=T0, open=1.0, high=1, low=1, close=1)  # type: ignore[arg-type]


def test_candle_refuses_naive_and_non_utc_times() -> None:
    with pytest.raises(ValueError, match="open_time: datetime must be tz-aware UTC"):
        Candle(symbol=BTC_EUR, open_time=datetime(2026, 1, 1), open=1, high=1, low=1, close=1)
    cet = timezone(timedelta(hours=1))
    with pytest.raises(ValueError, match="tz-aware UTC"):
        Candle(symbol=BTC_EUR, open_time=T0.astimezone(cet), open=1, high=1, low=1, close=1)


# --- CandleBatch -------------------------------------------------------------------------------


def test_candle_batch_holds_closed_and_forming() -> None:
    batch = CandleBatch(closed=(candle(0), candle(1)), forming=candle(2, closed=False))
    assert len(batch.closed) == 2
    assert batch.forming is not None
    assert not batch.forming.closed


def test_candle_batch_refuses_unordered_or_duplicate_candles() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        CandleBatch(closed=(candle(1), candle(0)))
    with pytest.raises(ValueError, match="strictly increasing"):
        CandleBatch(closed=(candle(1), candle(1)))


def test_candle_batch_keeps_the_forming_candle_apart() -> None:
    with pytest.raises(ValueError, match="contains a forming candle"):
        CandleBatch(closed=(candle(0, closed=False),))
    with pytest.raises(ValueError, match="must not be marked closed"):
        CandleBatch(forming=candle(0))


# --- Ticker ------------------------------------------------------------------------------------


def test_ticker_mid_price() -> None:
    ticker = Ticker(symbol=BTC_EUR, bid="99", ask="101", last="100", time=T0)
    assert ticker.mid == Decimal(100)


def test_ticker_allows_bid_equal_to_ask() -> None:
    assert Ticker(symbol=BTC_EUR, bid="100", ask="100", last="100", time=T0).mid == 100


def test_ticker_refuses_crossed_book() -> None:
    with pytest.raises(ValueError, match=r"bid 100\.01 is above ask 100"):
        Ticker(symbol=BTC_EUR, bid="100.01", ask="100", last="100", time=T0)


@pytest.mark.parametrize("field", ["bid", "ask", "last"])
def test_ticker_refuses_non_positive_prices(field: str) -> None:
    prices = {"bid": "1", "ask": "1", "last": "1"} | {field: "0"}
    with pytest.raises(ValueError, match="ticker prices must be positive"):
        Ticker(symbol=BTC_EUR, time=T0, **prices)  # type: ignore[arg-type]


def test_ticker_refuses_naive_time() -> None:
    with pytest.raises(ValueError, match="time: datetime must be tz-aware UTC"):
        Ticker(symbol=BTC_EUR, bid="1", ask="1", last="1", time=datetime(2026, 1, 1))


# --- time helpers ------------------------------------------------------------------------------


def test_utc_midnight_and_isoformat() -> None:
    now = datetime(2026, 3, 4, 23, 59, 59, 999999, tzinfo=UTC)
    assert utc_midnight(now) == datetime(2026, 3, 4, tzinfo=UTC)
    assert isoformat_utc(T0) == "2026-01-01T00:00:00Z"


def test_require_utc_refuses_non_datetimes() -> None:
    with pytest.raises(TypeError, match="now: expected datetime, got str"):
        require_utc("2026-01-01", "now")


# --- trusted construction ----------------------------------------------------------------------

OHLCV_CASES = [
    ("100", "110", "90", "105", "2"),
    ("100", "100", "100", "100", "0"),
    ("100", "99", "90", "95", "1"),  # high below open
    ("100", "110", "101", "105", "1"),  # low above open
    ("100", "110", "90", "105", "-1"),  # negative volume
    ("0", "110", "0", "105", "1"),  # zero price
    ("-1", "110", "-2", "105", "1"),  # negative price
    ("100", "Infinity", "90", "105", "1"),
    ("NaN", "110", "90", "105", "1"),
    ("100", "110", "90", "105", "sNaN"),
]


@pytest.mark.parametrize("values", OHLCV_CASES)
def test_ohlcv_valid_agrees_with_the_validating_constructor(values: tuple[str, ...]) -> None:
    o, h, lo, c, v = (Decimal(x) for x in values)
    try:
        Candle(symbol=BTC_EUR, open_time=T0, open=o, high=h, low=lo, close=c, volume=v)
        accepted = True
    except ValueError:
        accepted = False
    assert ohlcv_valid(o, h, lo, c, v) is accepted


def test_a_trusted_candle_equals_the_validated_one() -> None:
    fields = {"open": Decimal("100"), "high": Decimal("110"), "low": Decimal("90")}
    fields |= {"close": Decimal("105"), "volume": Decimal("2")}
    trusted = Candle.trusted(symbol=BTC_EUR, open_time=T0, closed=False, **fields)
    checked = Candle(symbol=BTC_EUR, open_time=T0, closed=False, **fields)
    assert trusted == checked
    assert hash(trusted) == hash(checked)
    assert repr(trusted) == repr(checked)
