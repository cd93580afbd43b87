"""Config loading: the shipped file, defaults, and every kind of refusal with its location."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.kraken.config import KrakenTestnetConfig, KrakenTier
from peak_trade.app.config import (
    ALERT_RULE_NAMES,
    AppConfig,
    load_config,
    load_config_from,
    resolve_config_path,
)
from peak_trade.app.errors import ConfigError
from peak_trade.app.plan import SessionRequest, resolve_session_plan
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.environment import TradingEnvironment
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.alerts import AlertLevel

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "config.toml"
FAKE_SECRET = "kQ2x9ZpL0aB7cD4eF1gH8iJ3kL6mN5oP2qR9sT0uV7wX4yZ1"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> ConfigError:
    """The ConfigError loading `text` raises; its message starts with file, [section] and key."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    error = info.value
    assert error.file == str(path)
    assert str(error).startswith(f"{path}:[{error.section}]" if error.section else f"{path}:")
    return error


def reason(error: ConfigError) -> str:
    """The message after the location (the tmp path holds the test's name, so never search it)."""
    where = ":".join(
        part
        for part in (error.file, f"[{error.section}]" if error.section else "", error.key)
        if part
    )
    text = str(error)
    assert text.startswith(f"{where}: "), text
    return text[len(where) + 2 :]


# --- the shipped file ----------------------------------------------------------------------------


def test_shipped_config_loads_with_safe_defaults() -> None:
    config = load_config(REPO_CONFIG)
    assert config.environment.mode is TradingEnvironment.TESTNET
    assert config.exchange("kraken_testnet").validate_only is True
    assert config.exchange("in_memory").validate_only is True
    kraken = config.exchange("kraken_testnet")
    assert isinstance(kraken, KrakenTestnetConfig)
    assert kraken.tier is KrakenTier.STARTER
    assert config.testnet_session.symbol == Symbol("BTC", "EUR")
    assert config.testnet_session.timeframe == Timeframe.M1
    assert config.testnet_session.position_fraction == Decimal("0.1")
    assert config.testnet_session.strategy == "ma_crossover"
    assert config.live_risk.enabled is True
    assert config.live_risk.max_orders_per_minute == 10


@pytest.mark.parametrize("path", sorted(REPO_CONFIG.parent.glob("*.toml")), ids=lambda p: p.name)
def test_every_config_file_in_the_repository_loads_in_testnet_validate_only(path: Path) -> None:
    config = load_config(path)
    assert config.environment.mode is TradingEnvironment.TESTNET
    assert config.exchange("kraken_testnet").validate_only is True


def test_every_key_of_the_shipped_config_has_a_comment_above_it() -> None:
    lines = REPO_CONFIG.read_text(encoding="utf-8").splitlines()
    keys = [
        (number, line.split("=")[0].strip())
        for number, line in enumerate(lines)
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", line)
    ]
    assert len(keys) > 60  # every section's keys are written out, not left to the defaults
    uncommented = [key for number, key in keys if not lines[number - 1].lstrip().startswith("#")]
    assert uncommented == []


def test_shipped_config_carries_both_strategies_with_their_parameters() -> None:
    config = load_config(REPO_CONFIG)
    assert dict(config.strategies["ma_crossover"]) == {"fast_window": 10, "slow_window": 30}
    assert dict(config.strategies["rsi_strategy"]) == {
        "period": 14,
        "oversold": 30,
        "overbought": 70,
        "exit_level": 50,
    }


def test_shipped_config_configures_every_alert_rule() -> None:
    config = load_config(REPO_CONFIG)
    assert set(config.alerts.rules) == set(ALERT_RULE_NAMES)
    assert config.alerts.rules["halted"].level is AlertLevel.CRITICAL
    assert config.alerts.rules["drawdown"].threshold == Decimal(10)


def test_shipped_config_values_equal_the_defaults_of_an_empty_file(tmp_path: Path) -> None:
    shipped = load_config(REPO_CONFIG)
    empty = load_config(write(tmp_path, ""))
    for field in (
        "environment",
        "exchanges",
        "testnet_session",
        "live_risk",
        "run_logging",
        "alerts",
        "dashboard",
    ):
        assert getattr(shipped, field) == getattr(empty, field), field


def test_config_built_in_code_has_the_same_defaults_as_an_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    loaded = load_config(path)
    assert AppConfig(path=path, sha256=loaded.sha256) == loaded


def test_sha256_is_the_hash_of_the_file_bytes() -> None:
    config = load_config(REPO_CONFIG)
    assert config.sha256 == hashlib.sha256(REPO_CONFIG.read_bytes()).hexdigest()
    assert config.path == REPO_CONFIG


def test_environment_config_reflects_the_mode(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[environment]\nmode = "paper"\n'))
    assert config.environment_config().environment is TradingEnvironment.PAPER


def test_missing_sections_take_safe_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "# nothing\n"))
    assert config.environment.mode is TradingEnvironment.TESTNET
    assert config.environment.testnet_dry_run is None
    assert config.exchange("kraken_testnet").validate_only is True
    assert config.exchange("in_memory").validate_only is True
    assert config.strategies == {}


def test_floats_are_read_as_exact_decimals(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[testnet_session]\nfee_rate = 0.1\n"))
    assert config.testnet_session.fee_rate == Decimal("0.1")
    assert isinstance(config.testnet_session.fee_rate, Decimal)


def test_an_integer_is_accepted_where_a_decimal_is_expected(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[testnet_session]\nstart_balance = 500\n"))
    assert config.testnet_session.start_balance == Decimal(500)


def test_kraken_timeout_is_converted_for_the_http_client(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[exchange.kraken_testnet]\ntimeout_seconds = 2.5\n"))
    kraken = config.exchange("kraken_testnet")
    assert isinstance(kraken, KrakenTestnetConfig)
    assert kraken.timeout_seconds == 2.5


def test_in_memory_balances_table_replaces_the_default(tmp_path: Path) -> None:
    text = "[exchange.in_memory.balances]\nUSD = 250\nBTC = 0.5\n"
    config = load_config(write(tmp_path, text))
    in_memory = config.exchange("in_memory")
    assert isinstance(in_memory, InMemoryExchangeConfig)
    assert dict(in_memory.balances) == {"USD": Decimal(250), "BTC": Decimal("0.5")}


def test_alert_rule_keeps_its_default_threshold_when_only_level_is_set(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[alerts.stale_data]\nlevel = "critical"\n'))
    rule = config.alerts.rules["stale_data"]
    assert rule.level is AlertLevel.CRITICAL
    assert rule.threshold == Decimal(3)


# --- unknown sections and keys -------------------------------------------------------------------


def test_unknown_section_is_refused_listing_known_sections(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[enviroment]\nmode = 'testnet'\n")
    assert error.section == "enviroment"
    assert "unknown section" in reason(error)
    assert "environment" in reason(error)


def test_unknown_key_is_refused_with_file_section_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[testnet_session]\npoll_intervall_seconds = 5\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    error = info.value
    assert (error.file, error.section, error.key) == (
        str(path),
        "testnet_session",
        "poll_intervall_seconds",
    )
    assert str(path) in str(error)
    assert "[testnet_session]" in str(error)
    assert "unknown key" in reason(error)
    assert "poll_interval_seconds" in reason(error)  # lists the known keys


def test_the_known_keys_of_a_refusal_are_listed_once_each(tmp_path: Path) -> None:
    # [alerts] reads webhook_timeout_seconds twice (its older name of the delivery timeout)
    error = refusal(tmp_path, "[alerts]\nvenue_resets = true\n")
    known = reason(error).split("known keys here: ", 1)[1].split(", ")
    assert "venue_reset" in known
    assert len(known) == len(set(known)), known


def test_unknown_exchange_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[exchange.binance]\nenabled = true\n")
    assert error.section == "exchange.binance"
    assert "kraken_testnet" in reason(error)


def test_unknown_alert_rule_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[alerts.moon_phase]\nenabled = true\n")
    assert (error.section, error.key) == ("alerts", "moon_phase")


def test_unknown_key_inside_an_alert_rule_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[alerts.drawdown]\nthreshhold = 5\n")
    assert (error.section, error.key) == ("alerts.drawdown", "threshhold")


def test_a_plain_value_at_top_level_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, 'mode = "testnet"\n')
    assert error.section == "mode"


# --- types --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "section", "key", "expected"),
    [
        (
            "[exchange.kraken_testnet]\nmax_retries = true\n",
            "exchange.kraken_testnet",
            "max_retries",
            "integer",
        ),
        (
            "[testnet_session]\nwarmup_candles = 1.5\n",
            "testnet_session",
            "warmup_candles",
            "integer",
        ),
        (
            "[testnet_session]\nstart_balance = '100'\n",
            "testnet_session",
            "start_balance",
            "number",
        ),
        ("[testnet_session]\nstart_balance = true\n", "testnet_session", "start_balance", "number"),
        ("[testnet_session]\nallow_short = 1\n", "testnet_session", "allow_short", "boolean"),
        ("[dashboard]\nhost = 127\n", "dashboard", "host", "string"),
        (
            "[exchange.kraken_testnet]\nvalidate_only = 'yes'\n",
            "exchange.kraken_testnet",
            "validate_only",
            "boolean",
        ),
    ],
)
def test_wrong_type_is_refused_naming_the_expected_type(
    tmp_path: Path, text: str, section: str, key: str, expected: str
) -> None:
    error = refusal(tmp_path, text)
    assert (error.section, error.key) == (section, key)
    assert f"expected a{'n' if expected[0] in 'aeiou' else ''} {expected}" in reason(error)


# --- ranges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "key", "allowed", "refused"),
    [
        ("testnet_session", "position_fraction", "1", "1.0000001"),
        ("testnet_session", "position_fraction", "0.0000001", "0"),
        ("testnet_session", "fee_rate", "0", "1"),
        ("testnet_session", "poll_interval_seconds", "0.001", "0"),
        ("testnet_session", "warmup_candles", "720", "721"),
        ("testnet_session", "max_consecutive_errors", "1", "0"),
        ("testnet_session", "order_follow_timeout_seconds", "0.5", "-1"),
        ("testnet_session", "max_consecutive_order_failures", "1", "0"),
        ("testnet_session", "unknown_order_resolution_seconds", "0.5", "0"),
        ("exchange.kraken_testnet", "timeout_seconds", "0.1", "0"),
        ("exchange.kraken_testnet", "max_retries", "10", "11"),
        ("exchange.in_memory", "partial_fill_fraction", "1", "1.01"),
        ("exchange.in_memory", "lot_step", "0.00000001", "0"),
        ("live_risk", "max_order_notional", "0.01", "0"),
        ("live_risk", "max_daily_loss_pct", "100", "100.01"),
        ("live_risk", "max_open_positions", "0", "-1"),
        ("dashboard", "port", "65535", "65536"),
        ("dashboard", "port", "1", "0"),
        ("dashboard", "refresh_seconds", "1", "0"),
        ("alerts", "webhook_timeout_seconds", "0.1", "0"),
        ("alerts.drawdown", "threshold", "0.1", "0"),
        ("run_logging", "heartbeat_every_steps", "1", "0"),
    ],
)
def test_range_boundaries(
    tmp_path: Path, section: str, key: str, allowed: str, refused: str
) -> None:
    load_config(write(tmp_path, f"[{section}]\n{key} = {allowed}\n"))
    error = refusal(tmp_path, f"[{section}]\n{key} = {refused}\n")
    assert (error.section, error.key) == (section, key)
    assert reason(error).startswith("must be ")
    assert reason(error).endswith(f", got {format_decimal(Decimal(refused))}")


@pytest.mark.parametrize(
    ("section", "key", "allowed_values"),
    [
        ("environment", "mode", "paper, testnet, live"),
        ("exchange.kraken_testnet", "tier", "starter, intermediate, pro"),
        ("testnet_session", "default_exchange", "kraken_testnet, binance_testnet, in_memory"),
        ("alerts", "min_level", "info, warning, critical"),
        ("alerts.halted", "level", "info, warning, critical"),
    ],
)
def test_unknown_enum_value_lists_the_allowed_values(
    tmp_path: Path, section: str, key: str, allowed_values: str
) -> None:
    error = refusal(tmp_path, f'[{section}]\n{key} = "bogus"\n')
    assert (error.section, error.key) == (section, key)
    assert f"allowed: {allowed_values}" in reason(error)


def test_invalid_symbol_and_timeframe_give_the_domain_reason(tmp_path: Path) -> None:
    assert "BASE/QUOTE" in reason(refusal(tmp_path, '[testnet_session]\nsymbol = "BTCEUR"\n'))
    assert "expected a number and a unit" in reason(
        refusal(tmp_path, '[testnet_session]\ntimeframe = "2x"\n')
    )


def test_base_url_must_be_http(tmp_path: Path) -> None:
    error = refusal(tmp_path, '[exchange.kraken_testnet]\nbase_url = "ftp://x"\n')
    assert error.key == "base_url"


def test_env_var_name_must_look_like_one(tmp_path: Path) -> None:
    error = refusal(tmp_path, '[exchange.kraken_testnet]\napi_key_env_var = "MY KEY"\n')
    assert error.key == "api_key_env_var"
    assert "environment variable name" in reason(error)


def test_empty_webhook_env_var_means_no_webhook(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[alerts]\nwebhook_url_env_var = ""\n'))
    assert config.alerts.webhook_url_env_var == ""


# --- the one knob -------------------------------------------------------------------------------


def test_dry_run_disagreeing_with_the_sessions_exchange_names_both_keys(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[environment]\ntestnet_dry_run = false\n"))
    with pytest.raises(ConfigError) as caught:  # Kraken validates only by default
        resolve_session_plan(SessionRequest(exchange="kraken_testnet"), config)
    error = caught.value
    assert (error.section, error.key) == ("environment", "testnet_dry_run")
    assert "testnet_dry_run = false" in reason(error)
    assert "[exchange.kraken_testnet] validate_only = true" in reason(error)


def test_dry_run_true_with_one_exchange_executing_is_refused(tmp_path: Path) -> None:
    text = "[environment]\ntestnet_dry_run = true\n[exchange.in_memory]\nvalidate_only = false\n"
    error = refusal(tmp_path, text)
    assert "[exchange.in_memory] validate_only = false" in reason(error)


def test_dry_run_agreeing_with_every_validate_only_is_accepted(tmp_path: Path) -> None:
    text = (
        "[environment]\ntestnet_dry_run = false\n"
        "[exchange.kraken_testnet]\nvalidate_only = false\n"
        "[exchange.in_memory]\nvalidate_only = false\n"
    )
    config = load_config(write(tmp_path, text))
    assert config.environment.testnet_dry_run is False
    assert config.exchange("in_memory").validate_only is False


def test_dry_run_true_with_default_validate_only_is_accepted(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[environment]\ntestnet_dry_run = true\n"))
    assert config.environment.testnet_dry_run is True
    plan = resolve_session_plan(SessionRequest(exchange="kraken_testnet"), config)
    assert plan.exchange == "kraken_testnet"
    with pytest.raises(ConfigError, match=r"\[exchange\.binance_testnet\] validate_only = false"):
        resolve_session_plan(SessionRequest(exchange="binance_testnet"), config)


# --- credentials --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["api_key", "api_secret", "secret", "password", "token", "passphrase", "webhook_url"]
)
def test_credential_keys_are_refused_without_echoing_the_value(tmp_path: Path, key: str) -> None:
    error = refusal(tmp_path, f'[exchange.kraken_testnet]\n{key} = "hunter2-value"\n')
    assert (error.section, error.key) == ("exchange.kraken_testnet", key)
    assert reason(error).startswith("this key would hold a credential")
    assert "hunter2" not in str(error)


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("strategy.ma_crossover", "note", FAKE_SECRET),
        ("exchange.kraken_testnet", "base_url", f"https://user:{FAKE_SECRET[:8]}@api.kraken.com"),
        ("run_logging", "base_dir", "0123456789abcdef0123456789abcdef01234567"),
        ("alerts", "webhook_url_env_var", "https://hooks.slack.com/services/T0/B0/abc"),
        ("dashboard", "host", f"https://x.example/hook?token={FAKE_SECRET[:6]}"),
    ],
)
def test_values_that_look_like_secrets_are_refused_without_echo(
    tmp_path: Path, section: str, key: str, value: str
) -> None:
    error = refusal(tmp_path, f'[{section}]\n{key} = "{value}"\n')
    assert (error.section, error.key) == (section, key)
    assert reason(error).startswith("the value looks like a credential")
    assert value not in str(error)
    assert FAKE_SECRET[:6] not in str(error)


def test_long_plain_paths_are_not_mistaken_for_secrets(tmp_path: Path) -> None:
    text = '[run_logging]\nbase_dir = "/srv/peak_trade/very_long_directory_name_for_runs_2026"\n'
    config = load_config(write(tmp_path, text))
    assert config.run_logging.base_dir == Path(
        "/srv/peak_trade/very_long_directory_name_for_runs_2026"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/home/Alice/Trading2026/peak-trade/state",
        "~/Alice/PeakTrade2026/kraken_nonce_state",
        "C:/Users/Alice/PeakTrade2026/state",
        "/home/Alice/Trading_Strategies_Backtest_Results_2026/state",
    ],
)
def test_ordinary_paths_with_names_and_years_are_not_mistaken_for_secrets(
    tmp_path: Path, path: str
) -> None:
    text = f'[exchange.kraken_testnet]\nstate_dir = "{path}"\n'
    config = load_config(write(tmp_path, text))
    assert config.exchange("kraken_testnet").state_dir == Path(path)


def test_a_secret_placed_in_a_path_is_still_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, f'[exchange.kraken_testnet]\nstate_dir = "/tmp/{FAKE_SECRET}"\n')
    assert reason(error).startswith("the value looks like a credential")
    assert FAKE_SECRET not in str(error)


def test_secret_in_an_unknown_section_is_still_reported_as_a_credential(tmp_path: Path) -> None:
    error = refusal(tmp_path, f'[misc]\nvalue = "{FAKE_SECRET}"\n')
    assert (error.section, error.key) == ("misc", "value")
    assert reason(error).startswith("the value looks like a credential")
    assert FAKE_SECRET not in str(error)


# --- strategies ---------------------------------------------------------------------------------


def test_strategy_sections_are_kept_raw(tmp_path: Path) -> None:
    text = '[strategy.mine]\nwindow = 7\nscale = 0.5\nmode = "fast"\nenabled = true\n'
    config = load_config(write(tmp_path, text))
    assert dict(config.strategies["mine"]) == {
        "window": 7,
        "scale": Decimal("0.5"),
        "mode": "fast",
        "enabled": True,
    }


def test_strategy_parameters_must_be_scalars(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[strategy.mine]\nwindows = [1, 2]\n")
    assert (error.section, error.key) == ("strategy.mine", "windows")


def test_strategy_section_must_be_a_table(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[strategy]\nfast_window = 3\n")
    assert (error.section, error.key) == ("strategy", "fast_window")
    assert "expected a table" in reason(error)


# --- file handling ------------------------------------------------------------------------------


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[environment]\nmode = "testnet"\nbroken line\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "line 3" in str(info.value)


@pytest.mark.parametrize(
    ("cli", "env", "origin_text"),
    [
        ("missing.toml", {}, "--config"),
        (None, {"PEAK_TRADE_CONFIG": "missing.toml"}, "$PEAK_TRADE_CONFIG"),
    ],
)
def test_missing_file_names_path_and_how_it_was_chosen(
    tmp_path: Path, cli: str | None, env: dict[str, str], origin_text: str
) -> None:
    if cli is not None:
        cli = str(tmp_path / cli)
    env = {k: str(tmp_path / v) for k, v in env.items()}
    with pytest.raises(ConfigError) as info:
        load_config_from(cli, env)
    assert "missing.toml" in str(info.value)
    assert "not found" in str(info.value)
    assert origin_text in str(info.value)


def test_missing_default_file_explains_how_to_choose_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config_from(None, {})
    assert "config/config.toml" in str(info.value)
    assert "default" in str(info.value)
    assert "--config" in str(info.value)


def test_config_path_precedence_is_cli_then_env_then_default() -> None:
    env = {"PEAK_TRADE_CONFIG": "from_env.toml"}
    assert resolve_config_path("cli.toml", env) == Path("cli.toml")
    assert resolve_config_path(None, env) == Path("from_env.toml")
    assert resolve_config_path(None, {}) == Path("config/config.toml")
    assert resolve_config_path("", {"PEAK_TRADE_CONFIG": ""}) == Path("config/config.toml")


def test_config_objects_are_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    with pytest.raises(AttributeError):
        config.testnet_session = config.testnet_session  # type: ignore[misc]
    assert isinstance(config, AppConfig)
