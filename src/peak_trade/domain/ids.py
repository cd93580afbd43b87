"""Identifiers: unique run ids and deterministic client order ids (run id + sequence)."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime
from typing import Protocol

from peak_trade.domain.timeutil import require_utc

# Fixed namespace: the same (run id, sequence) gives the same client order id in every process.
CLIENT_ORDER_ID_NAMESPACE = uuid.UUID("5b0e3c52-7d1f-4f5e-9a35-70ea6b1d3535")

MAX_RUN_ID_LENGTH = 64
RUN_ID_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
CUSTOM_RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class RandomBits(Protocol):
    """A source of random bits (random.Random, secrets.SystemRandom)."""

    def getrandbits(self, k: int, /) -> int: ...


def new_run_id(now: datetime, rng: RandomBits) -> str:
    """`YYYYMMDDTHHMMSSZ-<6 hex>`: the UTC start time plus 24 random bits."""
    require_utc(now, "now")
    return f"{now:%Y%m%dT%H%M%SZ}-{rng.getrandbits(24):06x}"


def is_valid_run_id(run_id: object) -> bool:
    """True for generated run ids and for custom ids that are safe as a directory name."""
    if not isinstance(run_id, str):
        return False
    return bool(RUN_ID_PATTERN.fullmatch(run_id) or CUSTOM_RUN_ID_PATTERN.fullmatch(run_id))


def require_valid_run_id(run_id: str) -> str:
    """Return `run_id` or raise ValueError explaining the allowed form."""
    if not is_valid_run_id(run_id):
        raise ValueError(
            f"invalid run id {run_id!r}: use 1-64 characters of letters, digits, '_', '.', '-' "
            "starting with a letter or digit (generated ids look like 20260101T000000Z-1a2b3c)"
        )
    return run_id


def client_order_id(run_id: str, seq: int) -> str:
    """Deterministic client order id for order number `seq` of a run (a UUID with dashes):
    `str(uuid.uuid5(CLIENT_ORDER_ID_NAMESPACE, f"{run_id}:{seq}"))`, built without the UUID
    object (one order's worth of time in a replay)."""
    if seq < 0:
        raise ValueError(f"order sequence must be >= 0, got {seq}")
    name = _NAMESPACE_BYTES + f"{run_id}:{seq}".encode()
    digest = bytearray(hashlib.sha1(name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_NAMESPACE_BYTES = CLIENT_ORDER_ID_NAMESPACE.bytes
