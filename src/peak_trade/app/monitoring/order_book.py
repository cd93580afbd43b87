"""OrderBook: every order of a run, one row per client_order_id, its last result winning.

An order is known from its `order_intent` (sent) or its first `order_result` (refused before
sending); later results of the same order update the row (docs/run-log.md: count by
client_order_id, last one wins). Risk refusals are counted per limit from `risk_decision`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

PENDING = "pending"  # intent written, no result yet (in flight, or the session died there)
_RESULT_FIELDS = (
    "order_id",
    "symbol",
    "side",
    "order_type",
    "quantity",
    "limit_price",
    "reference_price",
    "status",
    "ack_status",
    "reason",
    "message",
    "reached_exchange",
    "final",
    "filled_quantity",
    "average_price",
    "fees",
    "simulated",
)
_INTENT_FIELDS = ("symbol", "side", "order_type", "quantity", "limit_price", "reference_price")


class OrderBook:
    """Orders in the order they first appeared, with outcome and risk-limit counts."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self._ids: list[str] = []
        self.outcomes: Counter[str] = Counter()
        self.intents = 0
        self.intents_by_symbol: Counter[str] = Counter()
        self._blocked_limits: dict[str, tuple[str, ...]] = {}
        self.sizing_skips: Counter[str] = Counter()
        self._by_order_id: dict[str, str] = {}  # exchange / simulated order id -> client id

    def __len__(self) -> int:
        return len(self._ids)

    def _row(self, cid: str, event: Mapping[str, Any]) -> dict[str, Any]:
        row = self._rows.get(cid)
        if row is None:
            row = {
                "client_order_id": cid,
                "seq": event.get("seq"),
                "ts": event.get("ts"),
                "status": PENDING,
            }
            self._rows[cid] = row
            self._ids.append(cid)
            self.outcomes[PENDING] += 1
        return row

    def on_intent(self, event: Mapping[str, Any]) -> None:
        self.intents += 1
        if isinstance(event.get("symbol"), str):
            self.intents_by_symbol[event["symbol"]] += 1
        cid = _cid(event)
        if cid is None:
            return
        row = self._row(cid, event)
        row.update({k: event[k] for k in _INTENT_FIELDS if k in event})
        for key, name in (("intent", "intent"), ("trigger", "intent_reason")):
            if isinstance(event.get(key), str):
                row[name] = event[key]

    def on_result(self, event: Mapping[str, Any]) -> None:
        cid = _cid(event) or f"seq-{event.get('seq')}"
        row = self._row(cid, event)
        self.outcomes[str(row.get("status") or PENDING)] -= 1
        row.update({k: event[k] for k in _RESULT_FIELDS if k in event})
        row["updated_at"] = event.get("ts")
        status = str(row.get("status") or "unknown")
        row["status"] = status
        self.outcomes[status] += 1
        order_id = event.get("order_id")
        if isinstance(order_id, str) and order_id:
            self._by_order_id[order_id] = cid

    def on_risk_decision(self, event: Mapping[str, Any]) -> None:
        if event.get("allowed") is not False:
            return
        if event.get("stage") == "sizing":
            self.sizing_skips[str(event.get("reason") or "sizing")] += 1
            return
        violations = event.get("violations")
        limits = tuple(
            str(v.get("limit"))
            for v in (violations if isinstance(violations, list) else [])
            if isinstance(v, Mapping) and v.get("limit")
        )
        cid = _cid(event) or f"seq-{event.get('seq')}"
        self._blocked_limits[cid] = limits or (str(event.get("reason") or "unspecified"),)

    def risk_blocks_by_limit(self) -> Counter[str]:
        """Orders refused by the risk limits, counted once per breached limit."""
        counts: Counter[str] = Counter()
        for limits in self._blocked_limits.values():
            counts.update(set(limits))
        return counts

    def outcome_counts(self) -> dict[str, int]:
        return {k: v for k, v in sorted(self.outcomes.items()) if v > 0}

    def client_id_of(self, order_id: str) -> str | None:
        """The client order id behind an exchange order id (`sim-<cid>` for simulated fills)."""
        cid = self._by_order_id.get(order_id)
        if cid is None and order_id.startswith("sim-") and order_id[4:] in self._rows:
            cid = order_id[4:]
        return cid

    def get(self, cid: str) -> Mapping[str, Any] | None:
        return self._rows.get(cid)

    def page(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """Rows newest first, `offset` rows skipped."""
        top = len(self._ids) - 1 - offset
        return [dict(self._rows[self._ids[i]]) for i in range(top, max(top - limit, -1), -1)]

    def all_rows(self) -> list[dict[str, Any]]:
        """Every row, oldest first."""
        return [dict(self._rows[cid]) for cid in self._ids]


def _cid(event: Mapping[str, Any]) -> str | None:
    value = event.get("client_order_id")
    return value if isinstance(value, str) and value else None
