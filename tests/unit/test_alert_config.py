"""[alerts] delivery keys and escalation thresholds: read, defaulted, and refused with their
file, section and key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.app.alerts.settings import DeliverySettings
from peak_trade.app.config import load_config
from peak_trade.app.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.file == str(path)
    return info.value


def test_delivery_keys_and_service_variables_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "[alerts]\n"
            'discord_webhook_url_env_var = "PT_DISCORD"\n'
            'telegram_bot_token_env_var = "PT_TG_TOKEN"\n'
            'telegram_chat_id_env_var = "PT_TG_CHAT"\n'
            'telegram_api_url = "http://127.0.0.1:8081/"\n'
            "delivery_timeout_seconds = 1.5\n"
            "delivery_max_retries = 0\n"
            "delivery_max_wait_seconds = 10\n"
            "delivery_queue_size = 7\n"
            "delivery_close_timeout_seconds = 0\n",
        )
    ).alerts
    assert (config.discord_webhook_url_env_var, config.telegram_bot_token_env_var) == (
        "PT_DISCORD",
        "PT_TG_TOKEN",
    )
    assert config.telegram_chat_id_env_var == "PT_TG_CHAT"
    assert config.telegram_api_url == "http://127.0.0.1:8081"
    assert config.delivery == DeliverySettings(
        timeout_seconds=Decimal("1.5"),
        max_retries=0,
        max_wait_seconds=Decimal(10),
        queue_size=7,
        close_timeout_seconds=Decimal(0),
    )


def test_an_empty_file_has_no_services_and_the_documented_delivery(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "")).alerts
    assert config.webhook_url_env_var == config.discord_webhook_url_env_var == ""
    assert config.telegram_bot_token_env_var == config.telegram_chat_id_env_var == ""
    assert config.delivery == DeliverySettings()
    assert config.rules["drawdown"].critical_threshold == Decimal(20)


def test_the_older_webhook_timeout_name_still_sets_the_timeout(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[alerts]\nwebhook_timeout_seconds = 3\n")).alerts
    assert config.delivery.timeout_seconds == Decimal(3)
    error = refusal(
        tmp_path, "[alerts]\nwebhook_timeout_seconds = 3\ndelivery_timeout_seconds = 4\n"
    )
    assert (error.section, error.key) == ("alerts", "webhook_timeout_seconds")


def test_telegram_needs_both_variables(tmp_path: Path) -> None:
    error = refusal(tmp_path, '[alerts]\ntelegram_bot_token_env_var = "PT_TG_TOKEN"\n')
    assert (error.section, error.key) == ("alerts", "telegram_chat_id_env_var")
    assert "set both or neither" in str(error)
    error = refusal(tmp_path, '[alerts]\ntelegram_chat_id_env_var = "PT_TG_CHAT"\n')
    assert error.key == "telegram_bot_token_env_var"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('discord_webhook_url_env_var = "https://example.org/hook"', "discord_webhook_url_env_var"),
        ('telegram_chat_id_env_var = "-100 123"', "telegram_chat_id_env_var"),
        ('telegram_api_url = "ftp://api.telegram.org"', "telegram_api_url"),
        ('telegram_api_url = "https://user:pw@api.telegram.org"', "telegram_api_url"),
        ("delivery_max_retries = -1", "delivery_max_retries"),
        ("delivery_max_retries = 21", "delivery_max_retries"),
        ("delivery_queue_size = 0", "delivery_queue_size"),
        ("delivery_timeout_seconds = 0", "delivery_timeout_seconds"),
        ("delivery_max_wait_seconds = 0", "delivery_max_wait_seconds"),
        ("delivery_close_timeout_seconds = -1", "delivery_close_timeout_seconds"),
        ('delivery_max_retries = "3"', "delivery_max_retries"),
    ],
)
def test_bad_alert_delivery_values_name_their_key(tmp_path: Path, line: str, key: str) -> None:
    error = refusal(tmp_path, f"[alerts]\n{line}\n")
    assert (error.section, error.key) == ("alerts", key)


def test_a_bot_token_in_the_file_is_refused_without_showing_it(tmp_path: Path) -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    error = refusal(tmp_path, f'[alerts]\ntelegram_bot_token_env_var = "{token}"\n')
    assert error.key == "telegram_bot_token_env_var"
    assert token not in str(error)


def test_drawdown_critical_threshold_is_read_and_must_lie_beyond_the_threshold(
    tmp_path: Path,
) -> None:
    config = load_config(
        write(tmp_path, "[alerts.drawdown]\nthreshold = 5\ncritical_threshold = 12.5\n")
    )
    rule = config.alerts.rules["drawdown"]
    assert (rule.threshold, rule.critical_threshold) == (Decimal(5), Decimal("12.5"))
    error = refusal(tmp_path, "[alerts.drawdown]\nthreshold = 5\ncritical_threshold = 5\n")
    assert (error.section, error.key) == ("alerts.drawdown", "critical_threshold")
    assert "must be above threshold" in str(error)
    # a threshold raised past the default critical one says which key to raise as well
    error = refusal(tmp_path, "[alerts.drawdown]\nthreshold = 25\n")
    assert (error.section, error.key) == ("alerts.drawdown", "threshold")
    assert "critical_threshold (20) must be above threshold (25)" in str(error)


def test_keys_a_rule_does_not_have_are_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, "[alerts.stale_data]\ncritical_threshold = 9\n")
    assert (error.section, error.key) == ("alerts.stale_data", "critical_threshold")
    error = refusal(tmp_path, "[alerts.trading_state]\nthreshold = 1\n")
    assert (error.section, error.key) == ("alerts.trading_state", "threshold")
