"""Per-symbol strategy parameters: a `[strategy.<name>."<SYMBOL>"]` table, as config.toml
documents it, is read and overrides the strategy's keys for that symbol only."""

from __future__ import annotations

from pathlib import Path

import pytest

from peak_trade.app.config import load_config
from peak_trade.app.errors import ConfigError
from peak_trade.app.plan import SessionRequest, resolve_session_plan
from peak_trade.domain.symbols import Symbol

SESSION = """
[testnet_session]
default_exchange = "in_memory"
symbols = ["BTC/EUR", "ETH/EUR"]

[strategy.ma_crossover]
fast_window = 5
slow_window = 20
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_symbols_own_table_overrides_the_shared_parameters_for_it_only(
    tmp_path: Path,
) -> None:
    text = SESSION + '\n[strategy.ma_crossover."ETH/EUR"]\nfast_window = 3\n'
    config = load_config(write(tmp_path, text))
    plan = resolve_session_plan(
        SessionRequest(exchange="kraken_testnet", symbols=("BTC/EUR", "ETH/EUR")), config
    )
    params = {str(symbol): dict(p) for symbol, p in plan.strategy_params.items()}
    assert params == {
        "BTC/EUR": {"fast_window": 5, "slow_window": 20},
        "ETH/EUR": {"fast_window": 3, "slow_window": 20},
    }
    assert Symbol.parse("ETH/EUR") in plan.strategy_params


def test_a_per_symbol_table_holds_scalars_only(tmp_path: Path) -> None:
    text = SESSION + '\n[strategy.ma_crossover."ETH/EUR"]\nfast_window = [3, 4]\n'
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert (info.value.section, info.value.key) == (
        'strategy.ma_crossover."ETH/EUR"',
        "fast_window",
    )


def test_a_nested_table_not_named_like_a_symbol_is_refused(tmp_path: Path) -> None:
    text = SESSION + "\n[strategy.ma_crossover.fast]\nwindow = 3\n"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert (info.value.section, info.value.key) == ("strategy.ma_crossover", "fast")
    assert '[strategy.ma_crossover."BTC/EUR"]' in str(info.value)
