"""The bundled AssetPairs snapshot, so the adapter can start (and map symbols) offline."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from peak_trade.adapters.kraken.mapping import parse_asset_pairs, parse_envelope
from peak_trade.adapters.kraken.symbols import KrakenMarket

SNAPSHOT_RESOURCE = "asset_pairs.json"
_ENDPOINT = "AssetPairs(bundled snapshot)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the snapshot has no errors, so no time is needed


def bundled_markets() -> list[KrakenMarket]:
    """Markets from the package's AssetPairs snapshot (a recorded `{"error", "result"}` answer)."""
    body = resources.files("peak_trade.adapters.kraken.data").joinpath(SNAPSHOT_RESOURCE)
    result = parse_envelope(_ENDPOINT, body.read_bytes(), _EPOCH)
    return parse_asset_pairs(result, _ENDPOINT)
