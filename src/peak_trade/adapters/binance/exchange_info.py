"""exchangeInfo -> BinanceSymbolMap: markets from baseAsset/quoteAsset, rules from filters.

Filters onto InstrumentRules (binance-api.md section 3; a value of "0" turns that rule off):
- PRICE_FILTER tickSize / minPrice / maxPrice -> price_tick / min_price / max_price
- LOT_SIZE stepSize / minQty / maxQty -> lot_step / min_quantity / max_quantity
- MARKET_LOT_SIZE stepSize / minQty / maxQty -> market_lot_step / market_min_quantity /
  market_max_quantity
- NOTIONAL minNotional / maxNotional -> min_cost / max_cost (legacy MIN_NOTIONAL as fallback)
- PERCENT_PRICE_BY_SIDE (legacy PERCENT_PRICE) multipliers -> price_band
Binance pads numbers ("0.01000000"); values are normalized (0.01) before use. NOTIONAL's
applyMinToMarket/applyMaxToMarket = false exempts market orders on the venue; the local check
applies the limits to every order anyway (stricter, never looser, than the venue).
Status: TRADING -> online (limit_only when MARKET is not among orderTypes); CANCEL_ONLY ->
cancel_only; BREAK, HALT, END_OF_DAY and anything else -> offline (refused before sending).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap, canonical_symbol
from peak_trade.adapters.venue_http.json_values import (
    as_dict,
    as_list,
    dec,
    integer,
    protocol_error,
    text,
)
from peak_trade.domain.decimals import step_from_decimals
from peak_trade.domain.instruments import InstrumentRules, PriceBand, TradingStatus
from peak_trade.domain.symbols import Symbol

ENDPOINT = "GET /api/v3/exchangeInfo"
_STATUS = {"TRADING": TradingStatus.ONLINE, "CANCEL_ONLY": TradingStatus.CANCEL_ONLY}


def normalized(value: Decimal) -> Decimal:
    """Trailing zeros dropped, never exponent notation: "0.01000000" -> 0.01, "10.0" -> 10."""
    reduced = value.normalize()
    return reduced if int(reduced.as_tuple().exponent) <= 0 else reduced.quantize(Decimal(1))


def decimals_of(step: Decimal) -> int:
    """Decimal places of a step or tick, from its normalized value ("0.01000000" -> 2)."""
    return max(0, -int(normalized(step).as_tuple().exponent))


def parse_exchange_info(result: object) -> BinanceSymbolMap:
    """The whole answer -> symbol map (with the REQUEST_WEIGHT per minute, if listed)."""
    data = as_dict(result, ENDPOINT, "answer")
    markets = [parse_market(raw) for raw in as_list(data.get("symbols", []), ENDPOINT, "symbols")]
    return BinanceSymbolMap(markets, weight_limit=request_weight_limit(data.get("rateLimits")))


def request_weight_limit(raw: object) -> int | None:
    """REQUEST_WEIGHT per 1 MINUTE from `rateLimits`, if present."""
    for entry in as_list(raw or [], ENDPOINT, "rateLimits"):
        limit = as_dict(entry, ENDPOINT, "rateLimits[]")
        if (
            limit.get("rateLimitType") == "REQUEST_WEIGHT"
            and limit.get("interval") == "MINUTE"
            and limit.get("intervalNum") == 1
        ):
            return integer(limit.get("limit"), ENDPOINT, "REQUEST_WEIGHT.limit")
    return None


def parse_market(raw: object) -> BinanceMarket:
    """One `symbols[]` entry -> BinanceMarket (rules only for canonical symbols)."""
    entry = as_dict(raw, ENDPOINT, "symbols[]")
    name = text(entry.get("symbol"), ENDPOINT, "symbol")
    base = text(entry.get("baseAsset"), ENDPOINT, f"{name}.baseAsset")
    quote = text(entry.get("quoteAsset"), ENDPOINT, f"{name}.quoteAsset")
    status = text(entry.get("status"), ENDPOINT, f"{name}.status")
    base_precision = integer(entry.get("baseAssetPrecision", 8), ENDPOINT, f"{name}.precision")
    quote_precision = integer(
        entry.get("quoteAssetPrecision", entry.get("quotePrecision", 8)), ENDPOINT, name
    )
    symbol = canonical_symbol(base, quote)
    rules = None
    if symbol is not None:
        rules = instrument_rules(symbol, name, entry, base_precision, quote_precision)
    return BinanceMarket(
        name=name,
        base_asset=base,
        quote_asset=quote,
        status=status,
        symbol=symbol,
        rules=rules,
        base_precision=base_precision,
        quote_precision=quote_precision,
    )


def trading_status(entry: dict[str, object]) -> TradingStatus:
    status = _STATUS.get(str(entry.get("status")), TradingStatus.OFFLINE)
    if entry.get("isSpotTradingAllowed") is False:
        return TradingStatus.OFFLINE
    order_types = entry.get("orderTypes")
    if (
        status is TradingStatus.ONLINE
        and isinstance(order_types, list)
        and "MARKET" not in order_types
    ):
        return TradingStatus.LIMIT_ONLY if "LIMIT" in order_types else TradingStatus.OFFLINE
    return status


def instrument_rules(
    symbol: Symbol, name: str, entry: dict[str, object], base_precision: int, quote_precision: int
) -> InstrumentRules:
    """InstrumentRules from one symbol's filters ("0" = rule off)."""
    filters = _filters(entry, name)

    def value(kind: str, field: str) -> Decimal | None:
        raw = filters.get(kind, {}).get(field)
        if raw is None:
            return None
        number = normalized(dec(raw, ENDPOINT, f"{name}.{kind}.{field}"))
        return number if number > 0 else None

    try:
        return InstrumentRules(
            symbol=symbol,
            venue_symbol=name,
            price_tick=value("PRICE_FILTER", "tickSize") or step_from_decimals(quote_precision),
            lot_step=value("LOT_SIZE", "stepSize") or step_from_decimals(base_precision),
            min_quantity=value("LOT_SIZE", "minQty") or Decimal(0),
            min_cost=(
                value("NOTIONAL", "minNotional") or value("MIN_NOTIONAL", "minNotional") or 0
            ),
            status=trading_status(entry),
            max_quantity=value("LOT_SIZE", "maxQty"),
            market_lot_step=value("MARKET_LOT_SIZE", "stepSize"),
            market_min_quantity=value("MARKET_LOT_SIZE", "minQty"),
            market_max_quantity=value("MARKET_LOT_SIZE", "maxQty"),
            max_cost=value("NOTIONAL", "maxNotional"),
            min_price=value("PRICE_FILTER", "minPrice"),
            max_price=value("PRICE_FILTER", "maxPrice"),
            price_band=_price_band(value),
        )
    except ValueError as exc:
        raise protocol_error(ENDPOINT, f"{name}: inconsistent filters: {exc}", entry) from None


def _price_band(get: Callable[[str, str], Decimal | None]) -> PriceBand | None:
    """PERCENT_PRICE_BY_SIDE, else PERCENT_PRICE; None when absent or an upper bound is off."""
    by_side = [
        get("PERCENT_PRICE_BY_SIDE", f)
        for f in ("bidMultiplierUp", "bidMultiplierDown", "askMultiplierUp", "askMultiplierDown")
    ]
    if by_side[0] is not None and by_side[2] is not None:
        return PriceBand(
            buy_up=by_side[0],
            buy_down=by_side[1] or 0,
            sell_up=by_side[2],
            sell_down=by_side[3] or 0,
        )
    up, down = get("PERCENT_PRICE", "multiplierUp"), get("PERCENT_PRICE", "multiplierDown")
    if up is not None:
        return PriceBand(buy_up=up, buy_down=down or 0, sell_up=up, sell_down=down or 0)
    return None


def _filters(entry: dict[str, object], name: str) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for raw in as_list(entry.get("filters", []), ENDPOINT, f"{name}.filters"):
        item = as_dict(raw, ENDPOINT, f"{name}.filters[]")
        kind = item.get("filterType")
        if isinstance(kind, str):
            found[kind] = item
    return found
