"""Our client order ids as Binance `newClientOrderId`s (`^[a-zA-Z0-9-_]{1,36}$`).

Session ids are UUIDs (36 characters, hex and dashes): they pass unchanged, so the id on the
venue is the id in the run log. Anything else maps to a UUID5 of it - deterministic across
processes, so find_order after a restart asks for the same id the first process sent.
"""

from __future__ import annotations

import re
import uuid

BINANCE_CLIENT_ID = re.compile(r"[a-zA-Z0-9\-_]{1,36}")
_NAMESPACE = uuid.UUID("8f0c7d4e-2b1a-4c6d-9e3f-5a7b8c9d0e1f")


def wire_client_id(client_order_id: str) -> str:
    """The newClientOrderId for `client_order_id` (unchanged when Binance accepts it)."""
    if BINANCE_CLIENT_ID.fullmatch(client_order_id):
        return client_order_id
    return str(uuid.uuid5(_NAMESPACE, client_order_id))
