"""Kraken's JSON -> domain values: envelope, AssetPairs, Ticker, OHLC, Balance, Time, status.

Everything that knows Kraken's market-data and account field names lives here (orders and
trades are in order_mapping.py); parsing failures become protocol errors naming the endpoint
(venue_http/json_values.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import attrs

from peak_trade.adapters.kraken.errors import error_from_kraken
from peak_trade.adapters.kraken.symbols import KrakenMarket, canonical_asset
from peak_trade.adapters.venue_http.json_values import (
    as_dict,
    as_list,
    dec,
    integer,
    parse_json,
    protocol_error,
)
from peak_trade.domain.decimals import step_from_decimals
from peak_trade.domain.instruments import InstrumentRules, TradingStatus
from peak_trade.domain.market import Candle, Ticker
from peak_trade.domain.symbols import Symbol


def parse_envelope(endpoint: str, body: bytes, now: datetime) -> object:
    """`result` of a Kraken answer; raises the mapped error for a non-empty `error` array."""
    payload = parse_json(endpoint, body)
    if not isinstance(payload, dict):
        raise protocol_error(endpoint, "response is not a JSON object", body)
    errors = payload.get("error", [])
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        raise protocol_error(endpoint, "'error' is not a list of strings", body)
    failures = [e for e in errors if not e.startswith("W")]
    if failures:
        raise error_from_kraken(endpoint, failures, now)
    if "result" not in payload:
        raise protocol_error(endpoint, "response has no 'result'", body)
    return payload["result"]


def timestamp(value: object, endpoint: str, what: str) -> datetime:
    """Unix seconds (int, float or numeric string) as a UTC datetime."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise protocol_error(endpoint, f"{what} is not a unix time", value)
    try:
        seconds = Decimal(str(value))
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    except (ArithmeticError, ValueError, OverflowError, OSError):
        raise protocol_error(endpoint, f"{what} is not a unix time", value) from None


def parse_asset_pairs(result: object, endpoint: str = "AssetPairs") -> list[KrakenMarket]:
    """AssetPairs `result` -> markets (darkpool `.d` pairs are skipped)."""
    markets = []
    for pair_id, raw in as_dict(result, endpoint, "result").items():
        if pair_id.endswith(".d"):
            continue
        entry = as_dict(raw, endpoint, pair_id)
        base_id, quote_id = str(entry.get("base", "")), str(entry.get("quote", ""))
        wsname = str(entry.get("wsname", ""))
        if wsname.count("/") == 1:
            base_name, quote_name = wsname.split("/")
        else:
            base_name, quote_name = base_id, quote_id
        try:
            symbol = Symbol(base=canonical_asset(base_name), quote=canonical_asset(quote_name))
        except ValueError as exc:
            raise protocol_error(endpoint, f"{pair_id}: {exc}", entry) from None
        pair_decimals = integer(entry.get("pair_decimals"), endpoint, f"{pair_id}.pair_decimals")
        tick = entry.get("tick_size")
        markets.append(
            KrakenMarket(
                pair_id=pair_id,
                altname=str(entry.get("altname", pair_id)),
                wsname=wsname,
                base_id=base_id,
                quote_id=quote_id,
                symbol=symbol,
                pair_decimals=pair_decimals,
                lot_decimals=integer(
                    entry.get("lot_decimals"), endpoint, f"{pair_id}.lot_decimals"
                ),
                tick_size=(
                    dec(tick, endpoint, f"{pair_id}.tick_size")
                    if tick is not None
                    else step_from_decimals(pair_decimals)
                ),
                ordermin=dec(entry.get("ordermin", "0"), endpoint, f"{pair_id}.ordermin"),
                costmin=dec(entry.get("costmin", "0"), endpoint, f"{pair_id}.costmin"),
                status=str(entry.get("status", "online")),
                aclass_base=str(entry.get("aclass_base", "currency")),
            )
        )
    return markets


_STATUS = {status.value: status for status in TradingStatus}


@functools.lru_cache(maxsize=1024)
def instrument_rules(market: KrakenMarket) -> InstrumentRules:
    """InstrumentRules from pair_decimals/lot_decimals/tick_size/ordermin/costmin/status.

    Cached per market (both are immutable values): an order asks for them several times.
    """
    return InstrumentRules(
        symbol=market.symbol,
        venue_symbol=market.pair_id,
        price_tick=market.tick_size,
        lot_step=step_from_decimals(market.lot_decimals),
        min_quantity=market.ordermin,
        min_cost=market.costmin,
        status=_STATUS.get(market.status, TradingStatus.OFFLINE),
    )


def _pair_entry(result: object, market: KrakenMarket, endpoint: str) -> object:
    """The entry for `market` in a result keyed by pair name (Kraken may use any of its names)."""
    data = as_dict(result, endpoint, "result")
    for name in market.names:
        if name in data:
            return data[name]
    raise protocol_error(endpoint, f"result has no entry for {market.pair_id}", data)


def parse_ticker(result: object, market: KrakenMarket, now: datetime) -> Ticker:
    """Ticker `result` -> Ticker (a = ask, b = bid, c = last trade); time is our clock's now."""
    endpoint = "Ticker"
    entry = as_dict(_pair_entry(result, market, endpoint), endpoint, market.pair_id)
    fields = {}
    for key in ("a", "b", "c"):
        values = as_list(entry.get(key), endpoint, f"{market.pair_id}.{key}")
        if not values:
            raise protocol_error(endpoint, f"{market.pair_id}.{key} is empty", entry)
        fields[key] = dec(values[0], endpoint, f"{market.pair_id}.{key}[0]")
    try:
        return Ticker(
            symbol=market.symbol, bid=fields["b"], ask=fields["a"], last=fields["c"], time=now
        )
    except ValueError as exc:
        raise protocol_error(endpoint, f"inconsistent ticker: {exc}", entry) from None


def parse_ohlc(
    result: object, market: KrakenMarket
) -> tuple[list[Candle], Candle | None, int | None]:
    """OHLC `result` -> (committed candles, the forming last row, `last`)."""
    endpoint = "OHLC"
    data = as_dict(result, endpoint, "result")
    rows = as_list(_pair_entry(data, market, endpoint), endpoint, market.pair_id)
    last = integer(data["last"], endpoint, "last") if "last" in data else None
    candles = [_candle(row, market.symbol, endpoint) for row in rows]
    if not candles:
        return [], None, last
    return candles[:-1], attrs.evolve(candles[-1], closed=False), last


def _candle(row: object, symbol: Symbol, endpoint: str) -> Candle:
    items = as_list(row, endpoint, "OHLC row")
    if len(items) < 7:
        raise protocol_error(endpoint, "OHLC row has fewer than 7 fields", items)
    try:
        return Candle(
            symbol=symbol,
            open_time=timestamp(items[0], endpoint, "OHLC time"),
            open=dec(items[1], endpoint, "open"),
            high=dec(items[2], endpoint, "high"),
            low=dec(items[3], endpoint, "low"),
            close=dec(items[4], endpoint, "close"),
            volume=dec(items[6], endpoint, "volume"),
        )
    except ValueError as exc:
        raise protocol_error(endpoint, f"inconsistent OHLC row: {exc}", items) from None


def parse_balances(result: object, asset_code: Callable[[str], str]) -> dict[str, Decimal]:
    """Balance `result` -> canonical asset -> amount; suffixed balances add to their base asset."""
    totals: dict[str, Decimal] = {}
    for asset, amount in as_dict(result, "Balance", "result").items():
        code = asset_code(asset)
        totals[code] = totals.get(code, Decimal(0)) + dec(amount, "Balance", asset)
    return totals


def parse_server_time(result: object) -> datetime:
    """Time `result` -> the server's UTC time."""
    data = as_dict(result, "Time", "result")
    return timestamp(data.get("unixtime"), "Time", "unixtime")


def parse_system_status(result: object) -> str:
    """SystemStatus `result` -> online | maintenance | cancel_only | post_only."""
    status = as_dict(result, "SystemStatus", "result").get("status")
    if not isinstance(status, str):
        raise protocol_error("SystemStatus", "status is not a string", result)
    return status
