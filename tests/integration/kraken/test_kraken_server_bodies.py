"""The loopback server accepts form and JSON bodies signed per Kraken (for ccxt and the SDK)."""

from __future__ import annotations

import base64
import json

import httpx
from tests.integration.kraken.conftest import KEY, SECRET
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.kraken.signing import api_sign


def _post(server: KrakenLoopbackServer, body: str, nonce: str, content_type: str) -> object:
    path = "/0/private/Balance"
    headers = {
        "API-Key": KEY,
        "API-Sign": api_sign(path, nonce, body, base64.b64decode(SECRET)),
        "Content-Type": content_type,
    }
    return httpx.post(server.base_url + path, content=body, headers=headers).json()


def test_json_and_form_bodies_are_both_verified(server: KrakenLoopbackServer) -> None:
    form = _post(server, "nonce=5", "5", "application/x-www-form-urlencoded")
    as_json = _post(server, json.dumps({"nonce": 6}), "6", "application/json")
    assert form["error"] == []  # type: ignore[index]
    assert as_json["error"] == []  # type: ignore[index]


def test_repeated_nonce_is_rejected(server: KrakenLoopbackServer) -> None:
    _post(server, "nonce=7", "7", "application/x-www-form-urlencoded")
    again = _post(server, "nonce=7", "7", "application/x-www-form-urlencoded")
    assert again == {"error": ["EAPI:Invalid nonce"]}


def test_unknown_paths_answer_unknown_method(server: KrakenLoopbackServer) -> None:
    answer = httpx.get(server.base_url + "/0/public/NoSuchThing")
    assert answer.status_code == 404
    assert answer.json() == {"error": ["EGeneral:Unknown method"]}
