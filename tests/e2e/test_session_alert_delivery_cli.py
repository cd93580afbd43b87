"""A replay session run from the CLI delivers its alerts to loopback Telegram and Discord
endpoints (one rate-limits with 429 + Retry-After, one hangs at first) and to a generic webhook
that never answers, without the session waiting for any of them, and never shows a secret."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, cli_env
from tests.support.alert_receivers import AlertReceiver, Reply

pytestmark = pytest.mark.slow
TOKEN = "987654321:SECRETtelegramTOKENxyz"
DISCORD_PATH = "/api/webhooks/4242/SECRETdiscordTOKENabc"
HOOK_PATH = "/hook/SECREThookPATHdef"
RUN = "alerting-run"
ALERTS = """
[alerts]
enabled = true
min_level = "info"
webhook_url_env_var = "PT_E2E_WEBHOOK_URL"
discord_webhook_url_env_var = "PT_E2E_DISCORD_URL"
telegram_bot_token_env_var = "PT_E2E_TELEGRAM_TOKEN"
telegram_chat_id_env_var = "PT_E2E_TELEGRAM_CHAT"
telegram_api_url = "{telegram}"
delivery_timeout_seconds = 1
delivery_max_retries = 3
delivery_max_wait_seconds = 5
delivery_close_timeout_seconds = 15

[alerts.drawdown]
threshold = 0.5
critical_threshold = 1

[alerts.large_loss_abs]
threshold = 100
"""


def alerting_config(tmp_path: Path, telegram_url: str) -> Path:
    """The demo config with a drawdown stop and alert thresholds this replay reaches."""
    demo = DEMO_CONFIG.read_text().split("[alerts]")[0]
    demo = demo.replace(
        "max_daily_loss_pct = 5\n", "max_daily_loss_pct = 5\nmax_drawdown_pct = 1.5\n"
    )
    path = tmp_path / "alerts.toml"
    path.write_text(demo + ALERTS.replace("{telegram}", telegram_url))
    return path


def test_a_replay_delivers_its_alerts_to_telegram_and_discord_without_waiting_for_them(
    tmp_path: Path,
) -> None:
    telegram = AlertReceiver(Reply.telegram_rate_limited(1), otherwise=Reply.telegram_sent())
    discord = AlertReceiver(Reply.hang(), Reply.retry_after("1"), otherwise=Reply.ok(204))
    webhook = AlertReceiver(otherwise=Reply.hang())
    log_dir = tmp_path / "runs"
    with telegram, discord, webhook:
        env = cli_env() | {
            "PT_E2E_TELEGRAM_TOKEN": TOKEN,
            "PT_E2E_TELEGRAM_CHAT": "-1001234",
            "PT_E2E_DISCORD_URL": discord.url(DISCORD_PATH),
            "PT_E2E_WEBHOOK_URL": webhook.url(HOOK_PATH),
        }
        session = subprocess.run(
            [sys.executable, "-m", "peak_trade", "session",
             "--config", str(alerting_config(tmp_path, telegram.base_url)),
             "--exchange", "in_memory",
             "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
             "--log-dir", str(log_dir), "--run-id", RUN, "--log-level", "info"],
            capture_output=True, text=True, timeout=90, cwd=ROOT, env=env, check=False,
        )  # fmt: skip
        # the session is over while the webhook still holds its first request unanswered
        assert not webhook.release.is_set()
        hung = len(webhook.requests)
    assert session.returncode == 0, session.stderr

    run = log_dir / RUN
    fired = [json.loads(line) for line in (run / "alerts.jsonl").read_text().splitlines()]
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed"
    rules = [(a["rule"], a["level"]) for a in fired]
    assert ("drawdown", "warning") in rules
    assert ("drawdown", "critical") in rules
    assert ("large_loss_abs", "critical") in rules
    assert ("trading_state", "warning") in rules

    # Telegram: a 429 first, then every alert once, in order, to the configured chat
    sent = [body for body in telegram.bodies()]
    assert len(sent) == len(fired) + 1
    assert sent[0] == sent[1]  # the rate-limited message was sent again
    assert [body["text"].splitlines()[0] for body in sent[1:]] == [
        f"[{a['level'].upper()}] {a['rule']}: {a['message']}" for a in fired
    ]
    assert {body["chat_id"] for body in sent} == {"-1001234"}
    assert all(f"run_id: {RUN}" in body["text"] for body in sent)
    assert {r.path for r in telegram.requests} == {f"/bot{TOKEN}/sendMessage"}

    # Discord: the first request hung past the timeout, the retry met 429 + Retry-After, then
    # every alert arrived as content plus a coloured embed
    bodies = discord.bodies()
    assert len(bodies) == len(fired) + 2
    delivered = bodies[2:]
    assert [b["embeds"][0]["title"] for b in delivered] == [
        f"{a['level'].upper()} · {a['rule']}" for a in fired
    ]
    assert all(b["allowed_mentions"] == {"parse": []} for b in delivered)

    # the hanging webhook got the first alert (and its retries) and never held up the run
    assert hung >= 1
    assert "webhook http://127.0.0.1" in session.stderr

    secrets = (TOKEN, "SECRETdiscordTOKENabc", "SECREThookPATHdef")
    written = [session.stdout, session.stderr]
    written += [p.read_text(errors="replace") for p in run.rglob("*") if p.is_file()]
    for secret in secrets:
        assert not any(secret in text for text in written), secret
