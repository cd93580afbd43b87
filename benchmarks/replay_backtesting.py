"""backtesting.py (event-driven) running the benchmark rules via FractionalBacktest."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from benchmarks import rules
from benchmarks.outcome import ReplayOutcome


def load_frame(path: Path) -> Any:
    """The candle CSV as the OHLCV DataFrame backtesting.py expects (DatetimeIndex)."""
    import pandas as pd

    frame = pd.read_csv(path, comment="#", parse_dates=["time"], index_col="time")
    return frame.rename(columns=str.capitalize)


def _sma(values: Any, window: int) -> Any:
    import pandas as pd

    return pd.Series(values).rolling(window).mean().to_numpy()


def _strategy_class() -> Any:
    from backtesting import Strategy

    class MaCrossLongOnly(Strategy):  # type: ignore[misc]
        """Long while SMA(fast) > SMA(slow), flat while below; entries use 10 % of equity."""

        def init(self) -> None:
            self.fast = self.I(_sma, self.data.Close, rules.FAST_WINDOW)
            self.slow = self.I(_sma, self.data.Close, rules.SLOW_WINDOW)

        def next(self) -> None:
            fast, slow = self.fast[-1], self.slow[-1]
            if fast > slow and not self.position:
                self.buy(size=float(rules.POSITION_FRACTION))
            elif fast < slow and self.position:
                self.position.close()  # on a tie the position stands, as in peak_trade

    return MaCrossLongOnly


def run_backtesting(frame: Any) -> ReplayOutcome:
    """One FractionalBacktest run (1 satoshi units) over a prepared DataFrame."""
    from backtesting.lib import FractionalBacktest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = FractionalBacktest(
            frame,
            _strategy_class(),
            cash=float(rules.START_BALANCE),
            commission=float(rules.FEE_RATE),
            exclusive_orders=False,
            finalize_trades=False,
        )
        stats = bt.run()
    trades = stats["_trades"]
    strategy = stats["_strategy"]
    open_trades = len(strategy.trades)
    entries = len(trades) + open_trades
    fees = float(trades["Commission"].sum()) if "Commission" in trades else float("nan")
    position = float(strategy.position.size) * 1e-8 if strategy.position else 0.0
    return ReplayOutcome(
        candles=len(frame),
        entries=entries,
        exits=len(trades),
        fees=fees,
        final_equity=float(stats["Equity Final [$]"]),
        final_position=position,
    )


def run_backtesting_from_csv(path: Path) -> ReplayOutcome:
    """End to end: read the CSV with pandas, then run the backtest."""
    return run_backtesting(load_frame(path))
