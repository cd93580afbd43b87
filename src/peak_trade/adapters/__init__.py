"""Adapters: the ports implemented (Kraken REST, in-memory venue, clocks, run log, alerts)."""
