"""peak_trade's full session path over a candle CSV, built through the app's own builders.

TestnetSession on InMemoryExchange + SimulatedClock, with the ma_crossover strategy, sizing,
instrument rules, LiveRiskLimits, the executor, the Portfolio ledger and a real run log
(RunLogWriter in a temporary directory), wired by `build_testnet_session` from a config file
written here. Nothing is monkey-patched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from benchmarks import rules
from benchmarks.outcome import ReplayOutcome

CONFIG_TEMPLATE = """\
# Written by benchmarks/replay_peak_trade.py: the replay benchmark's session.
[environment]
mode = "testnet"

[exchange.in_memory]
enabled = true
validate_only = true
price_tick = {tick}
lot_step = {lot}
min_quantity = {min_qty}
min_cost = {min_cost}

[testnet_session]
enabled = true
default_exchange = "in_memory"
symbol = "{symbol}"
timeframe = "{timeframe}"
poll_interval_seconds = 60
warmup_candles = {warmup}
start_balance = {balance}
position_fraction = {fraction}
fee_rate = {fee}
slippage_bps = {slippage}
strategy = "ma_crossover"
allow_short = false

[strategy.ma_crossover]
fast_window = {fast}
slow_window = {slow}

[live_risk]
enabled = true
base_currency = "EUR"
max_order_notional = 1500
max_symbol_exposure_notional = 2500
max_total_exposure_notional = 5000
max_open_positions = 3
max_daily_loss_abs = 5000
max_daily_loss_pct = 50
max_orders_per_minute = 10

[run_logging]
enabled = true
base_dir = "{log_dir}"
{heartbeat}
[alerts]
enabled = {alerts}
"""

# The strategy needs SLOW_WINDOW closes for its first decision; warming up one candle fewer
# makes the session's first decision fall on the same candle as the floor's.
WARMUP = rules.SLOW_WINDOW - 1


def default_heartbeat() -> int:
    """The session's own replay cadence: `[run_logging] replay_heartbeat_every_candles` when a
    config does not set it (the benchmark's config leaves it to the session by default)."""
    from peak_trade.app.config.monitoring import RunLoggingConfig

    return RunLoggingConfig().replay_heartbeat_every_candles


def missing_pieces() -> str | None:
    """None when the session can be built through the app, else what is missing."""
    try:
        from peak_trade.app.bootstrap import build_testnet_session  # noqa: F401
        from peak_trade.app.config import load_config  # noqa: F401
        from peak_trade.app.plan import SessionRequest, resolve_session_plan  # noqa: F401
    except ImportError as exc:
        return f"the session wiring is not importable ({exc})"
    return None


def preload() -> None:
    """Import what a session run imports lazily, so a timed run measures work, not imports."""
    import peak_trade.adapters.candle_files
    import peak_trade.adapters.in_memory.exchange
    import peak_trade.adapters.runlog.writer
    import peak_trade.app.bootstrap
    import peak_trade.app.config
    import peak_trade.app.plan
    import peak_trade.domain.strategies  # noqa: F401


def _heartbeat_line(heartbeat: int | None) -> str:
    return "" if heartbeat is None else f"replay_heartbeat_every_candles = {heartbeat}\n"


def write_config(
    path: Path, log_dir: Path, heartbeat: int | None = None, *, alerts: bool = False
) -> Path:
    """The benchmark's config file (the rules of benchmarks.rules, risk limits that never bind);
    `heartbeat` sets replay_heartbeat_every_candles (None: the session's default); `alerts`
    turns the alert rules on (their defaults, as a config without [alerts] has them)."""
    path.write_text(
        CONFIG_TEMPLATE.format(
            tick=rules.PRICE_TICK,
            lot=f"{rules.LOT_STEP:f}",
            min_qty=rules.MIN_QUANTITY,
            min_cost=rules.MIN_COST,
            symbol=rules.SYMBOL,
            timeframe=rules.TIMEFRAME,
            warmup=WARMUP,
            balance=rules.START_BALANCE,
            fraction=rules.POSITION_FRACTION,
            fee=rules.FEE_RATE,
            slippage=rules.SLIPPAGE_BPS,
            fast=rules.FAST_WINDOW,
            slow=rules.SLOW_WINDOW,
            log_dir=log_dir.as_posix(),
            heartbeat=_heartbeat_line(heartbeat),
            alerts="true" if alerts else "false",
        ),
        encoding="utf-8",
    )
    return path


def count_fills(run_dir: Path) -> tuple[int, int]:
    """(buys, sells) among the simulated/real fills recorded in events.jsonl."""
    buys = sells = 0
    with (run_dir / "events.jsonl").open(encoding="utf-8") as events:
        for line in events:
            if '"fill"' not in line and '"simulated_fill"' not in line:
                continue
            event = json.loads(line)
            if event.get("type") not in ("fill", "simulated_fill"):
                continue
            side = event.get("side") or event.get("fill", {}).get("side")
            if side == "buy":
                buys += 1
            elif side == "sell":
                sells += 1
    return buys, sells


class PeakTradeReplay:
    """One full session per `run()`, each with a fresh run directory (removed afterwards)."""

    def __init__(
        self,
        csv_path: Path,
        work_dir: Path,
        keep_logs: bool = False,
        heartbeat: int | None = None,
    ) -> None:
        self._csv = csv_path.resolve()
        work_dir.mkdir(parents=True, exist_ok=True)
        self._root = Path(tempfile.mkdtemp(prefix="peak-trade-replay-", dir=work_dir))
        self._config_path = write_config(
            self._root / "bench.toml", self._root / "runs", heartbeat=heartbeat
        )
        self._keep = keep_logs
        self.last_run_dir: Path | None = None

    def run(self) -> ReplayOutcome:
        from peak_trade.app.bootstrap import build_testnet_session
        from peak_trade.app.config import load_config
        from peak_trade.app.plan import SessionRequest, resolve_session_plan

        config = load_config(self._config_path)
        plan = resolve_session_plan(
            SessionRequest(
                exchange="in_memory", replays=(str(self._csv),), log_dir=self._root / "runs"
            ),
            config,
        )
        session = build_testnet_session(config, plan, environ={})
        summary = session.run()
        run_dir = self._root / "runs" / plan.run_id
        buys, sells = count_fills(run_dir)
        position = sum((float(p["quantity"]) for p in _positions(summary.get("positions"))), 0.0)
        outcome = ReplayOutcome(
            candles=int(summary["candles_processed"]) + WARMUP,
            entries=buys,
            exits=sells,
            fees=float(summary["fees_paid"]),
            final_equity=float(summary["end_equity"]),
            final_position=position,
        )
        if (status := summary.get("status")) and status != "completed":
            raise RuntimeError(f"session ended {status}: {summary.get('error', '')}")
        self.last_run_dir = run_dir
        if not self._keep:
            shutil.rmtree(run_dir, ignore_errors=True)
        return outcome

    def close(self) -> None:
        """Remove this replay's scratch directory (config file and run logs)."""
        if not self._keep:
            shutil.rmtree(self._root, ignore_errors=True)


def _positions(raw: object) -> list[dict[str, str]]:
    if isinstance(raw, dict):
        return [v if isinstance(v, dict) else {"quantity": str(v)} for v in raw.values()]
    if isinstance(raw, list):
        return [p for p in raw if isinstance(p, dict)]
    return []
