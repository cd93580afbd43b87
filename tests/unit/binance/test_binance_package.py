"""One list of public names, no HTTP or crypto stack until a request or an Ed25519 key needs it;
the shared log filter masks Binance's key header and signature parameter."""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
from pathlib import Path

import pytest

import peak_trade.adapters.binance as binance_package
from peak_trade.adapters.venue_http.redaction import install_redaction

ROOT = Path(__file__).resolve().parents[3]
INIT = ROOT / "src" / "peak_trade" / "adapters" / "binance" / "__init__.py"

BUILD_WITHOUT_NETWORK = """
import sys
from datetime import UTC, datetime
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.binance import BinanceTestnetClient, BinanceTestnetConfig, binance_venue
config = BinanceTestnetConfig()
environ = {"BINANCE_TESTNET_API_KEY": "k", "BINANCE_TESTNET_API_SECRET": "s"}
clock = SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC))
client = BinanceTestnetClient(config, clock, environ=environ)
assert client.venue == binance_venue(config) and client.timeframes
client.close()
print(sorted(n for n in sys.modules if n.split(".")[0] in ("httpx", "httpcore", "cryptography")))
"""


def test_every_public_name_is_one_explicit_re_export() -> None:
    tree = ast.parse(INIT.read_text())
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module != "__future__"]
    assert imports
    assert all(alias.asname == alias.name for node in imports for alias in node.names)
    assert not any(isinstance(n, ast.FunctionDef | ast.Assign) for n in tree.body)
    for node in imports:
        for alias in node.names:
            assert getattr(binance_package, alias.name) is not None


def test_building_a_client_imports_neither_httpx_nor_cryptography() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_NETWORK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "line",
    [
        "send_request_headers.started request=<Request [b'GET']> headers=[(b'X-MBX-APIKEY', "
        "b'SECRETKEY123')]",
        "HTTP Request: GET http://127.0.0.1:1/api/v3/account?recvWindow=5000&timestamp=1&"
        'signature=SECRETKEY123 "HTTP/1.1 200 OK"',
        "body: symbol=BTCUSDT&timestamp=1&signature=SECRETKEY123",
    ],
)
def test_the_log_filter_masks_the_binance_key_header_and_signature(
    caplog: pytest.LogCaptureFixture, line: str
) -> None:
    install_redaction()
    caplog.set_level(logging.DEBUG, logger="httpx")
    logging.getLogger("httpx").debug(line)
    assert "SECRETKEY123" not in caplog.text
    assert "<redacted>" in caplog.text
