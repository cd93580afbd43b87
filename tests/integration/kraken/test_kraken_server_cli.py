"""The loopback server runs as `python -m tests.support.kraken_server` for e2e and benchmarks."""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.domain.symbols import Symbol

ROOT = Path(__file__).resolve().parents[3]


def test_module_prints_its_base_url_and_serves_signed_requests(tmp_path: Path) -> None:
    secret = base64.b64encode(b"cli secret").decode()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.kraken_server", "--port", "0", "--speed", "60",
         "--key", "cli-key", "--secret", secret],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        config = KrakenTestnetConfig(base_url=base_url, rate_limit_ms=0, state_dir=tmp_path)
        clock = SimulatedClock(datetime.now(UTC))
        credentials = KrakenCredentials.from_values("cli-key", secret)
        with KrakenTestnetClient(config, clock, credentials=credentials) as client:
            assert client.ticker(Symbol.parse("ETH/EUR")).last > 0
            assert client.balances()["EUR"] > 0
            assert client.system_status() == "online"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
