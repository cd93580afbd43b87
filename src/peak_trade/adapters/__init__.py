"""Adapters: implementations of the ports (Kraken REST, in-memory venue, clocks, run log, alerts)."""
