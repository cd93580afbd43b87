"""The one set of trading rules every replay contender runs, so results are comparable."""

from __future__ import annotations

from decimal import Decimal

FAST_WINDOW = 20
SLOW_WINDOW = 50
POSITION_FRACTION = Decimal("0.1")
FEE_RATE = Decimal("0.0026")
SLIPPAGE_BPS = Decimal("0")
START_BALANCE = Decimal("10000")
SYMBOL = "BTC/EUR"
TIMEFRAME = "1m"
LOT_STEP = Decimal("0.00000001")
PRICE_TICK = Decimal("0.1")
MIN_QUANTITY = Decimal("0.00005")
MIN_COST = Decimal("0.5")
SEED = 42
YEAR_OF_MINUTES = 525_600

RULES_TEXT = (
    f"long-only MA crossover {FAST_WINDOW}/{SLOW_WINDOW} on closes (long while the fast SMA is "
    "above the slow SMA, flat while below, a tie keeps the previous target), "
    f"{POSITION_FRACTION * 100:.0f} % of equity per entry "
    f"rounded down to {LOT_STEP:f} BTC, fee {FEE_RATE * 100:.2f} % of notional, slippage "
    f"{SLIPPAGE_BPS} bps, market orders decided at a candle's close and filled at the next "
    f"candle's open, start balance {START_BALANCE} EUR, final equity marked at the last close"
)
