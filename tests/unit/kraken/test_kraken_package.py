"""The package's public names come from one list, and building a client loads no HTTP stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import peak_trade.adapters.kraken as kraken_package

ROOT = Path(__file__).resolve().parents[3]
INIT = ROOT / "src" / "peak_trade" / "adapters" / "kraken" / "__init__.py"

BUILD_WITHOUT_NETWORK = """
import sys
from datetime import UTC, datetime
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenTestnetClient, KrakenTestnetConfig, kraken_venue
config = KrakenTestnetConfig()
venue = kraken_venue(config)
client = KrakenTestnetClient(config, SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)), environ={})
assert client.venue == venue and client.timeframes
client.close()
print(sorted(name for name in sys.modules if name.split(".")[0] in ("httpx", "httpcore")))
"""


def test_every_public_name_is_one_explicit_re_export() -> None:
    tree = ast.parse(INIT.read_text())
    exported = [
        alias.asname
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname is not None
    ]
    assert exported
    assert all(
        alias.asname == alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    )
    assert not any(isinstance(node, ast.FunctionDef) for node in tree.body)  # no __getattr__
    assert not any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in ("__all__", "_HOMES") for t in node.targets)
        for node in tree.body
    )
    for name in exported:
        assert getattr(kraken_package, name).__name__ == name


def test_building_a_client_without_a_request_never_imports_httpx() -> None:
    """What `peak-trade session --dry-run` does with the adapter: config, venue, client."""
    result = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_NETWORK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
