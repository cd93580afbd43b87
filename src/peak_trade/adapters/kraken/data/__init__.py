"""Bundled Kraken reference data (AssetPairs snapshot)."""
