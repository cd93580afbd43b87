"""Candle files for replays: synthetic generation and recording from a venue."""
