"""Fixtures for the candle file tests: the recorded sample files and a file maker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "candles"

MakeFile = Callable[[str | bytes], Path]


@pytest.fixture
def samples() -> Path:
    """tests/fixtures/candles: hand-made files in every supported format."""
    return SAMPLES


@pytest.fixture
def make_file(tmp_path: Path) -> MakeFile:
    """Write text (as UTF-8) or raw bytes to a fresh candles.csv and return its path."""

    def make(content: str | bytes) -> Path:
        path = tmp_path / "candles.csv"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make
