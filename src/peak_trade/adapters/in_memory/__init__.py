"""The in-memory venue: a deterministic fake exchange that replays candles."""
