"""A Kraken-compatible HTTP server on 127.0.0.1 for tests, e2e runs and benchmarks.

Real sockets (ThreadingHTTPServer in a thread), Kraken's paths and JSON envelopes, API-Sign and
nonce checks per registered key, validate=true, a deterministic market on its own clock, request
counters and on-demand faults. Form-encoded and JSON bodies are both accepted.

    with KrakenLoopbackServer(speed=60) as server:
        server.add_key("key", "c2VjcmV0")
        server.inject("AddOrder", Fault.close_connection())
        ... point KrakenTestnetClient at server.base_url ...

CLI: python -m tests.support.kraken_server --port 0 --speed 60 --key K --secret S
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import signal
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping
from datetime import datetime
from http.server import ThreadingHTTPServer
from importlib import resources
from types import TracebackType
from typing import Any

from peak_trade.adapters.kraken.signing import api_sign
from tests.support.kraken_book import Account, KrakenFailure, LoopbackBook
from tests.support.kraken_faults import Fault
from tests.support.kraken_handler import KrakenRequestHandler
from tests.support.kraken_market import LoopbackMarket
from tests.support.kraken_routes import PRIVATE_ROUTES, PUBLIC_ROUTES

__all__ = ["Fault", "KrakenLoopbackServer"]


def bundled_pairs() -> dict[str, dict[str, Any]]:
    """The adapter's AssetPairs snapshot: the server lists the same markets."""
    raw = resources.files("peak_trade.adapters.kraken.data").joinpath("asset_pairs.json")
    result: dict[str, dict[str, Any]] = json.loads(raw.read_bytes())["result"]
    return result


class KrakenLoopbackServer:
    """Kraken Spot REST on a random loopback port; a context manager."""

    def __init__(
        self,
        *,
        port: int = 0,
        speed: float = 1.0,
        seed: int = 7,
        start: datetime | None = None,
        pairs: Mapping[str, Mapping[str, Any]] | None = None,
        time_source: Callable[[], float] | None = None,
    ) -> None:
        # With a time source (e.g. a SimulatedClock's monotonic) the market follows that clock
        # at speed 1, so a session on a simulated clock sees candles close as its time passes.
        if time_source is None:
            self.market = LoopbackMarket(seed=seed, speed=speed, start=start)
        else:
            self.market = LoopbackMarket(seed=seed, speed=1.0, start=start, real_time=time_source)
        source = pairs if pairs is not None else bundled_pairs()
        self.book = LoopbackBook(self.market, {k: dict(v) for k, v in source.items()})
        self.accounts: dict[str, Account] = {}
        self.system_status = "online"
        self.request_counts: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []  # (method, params) in order
        self.signatures_seen: list[str] = []
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._deferred: list[list[Any]] = []  # [lookups left, account, AddOrder params]
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), KrakenRequestHandler)
        self._httpd.daemon_threads = True
        self._httpd.kraken = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> KrakenLoopbackServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> KrakenLoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- configuration -------------------------------------------------------------------------
    def add_key(
        self, api_key: str, secret_b64: str, balances: Mapping[str, str] | None = None
    ) -> None:
        """Register an API key (each key has its own nonce mark, balances and orders)."""
        with self.lock:
            self.accounts[api_key] = Account(base64.b64decode(secret_b64), balances)

    def inject(self, path: str, fault: Fault) -> None:
        """Queue a fault for the next `fault.times` requests to `path` (AddOrder or /0/...)."""
        with self.lock:
            for _ in range(fault.times):
                self._faults[path.rsplit("/", 1)[-1]].append(fault)

    def set_pair_status(self, pair_id: str, status: str) -> None:
        with self.lock:
            self.book.pairs[pair_id]["status"] = status

    def account(self, api_key: str) -> Account:
        return self.accounts[api_key]

    def params_sent(self, method: str) -> list[dict[str, str]]:
        """Parameters of every request to `method`, in order."""
        with self.lock:
            return [params for name, params in self.requests if name == method]

    def defer_order(self, account: Account, params: dict[str, str], lookups: int) -> None:
        """Keep an AddOrder unapplied until `lookups` order lookups have been answered."""
        with self.lock:
            self._deferred.append([lookups, account, dict(params)])

    def lookup_answered(self) -> None:
        """Count one answered order lookup; place deferred orders whose count ran out."""
        with self.lock:
            due = []
            for entry in self._deferred:
                entry[0] -= 1
                if entry[0] <= 0:
                    due.append(entry)
            for entry in due:
                self._deferred.remove(entry)
                self.book.add_order(entry[1], entry[2])

    def take_fault(self, method: str) -> Fault | None:
        with self.lock:
            queue = self._faults.get(method)
            return queue.popleft() if queue else None

    # -- request handling (called from handler threads) ----------------------------------------
    def authenticate(self, headers: Mapping[str, str], path: str, body: str, nonce: str) -> Account:
        account = self.accounts.get(headers.get("API-Key", ""))
        if account is None:
            raise KrakenFailure("EAPI:Invalid key")
        sign = headers.get("API-Sign", "")
        self.signatures_seen.append(sign)
        if not nonce.isdigit():
            raise KrakenFailure("EAPI:Invalid nonce")
        if api_sign(path, nonce, body, account.secret) != sign:
            raise KrakenFailure("EAPI:Invalid signature")
        if int(nonce) <= account.nonce:
            raise KrakenFailure("EAPI:Invalid nonce")
        account.nonce = int(nonce)
        return account

    def dispatch(
        self, kind: str, method: str, params: dict[str, str], account: Account | None
    ) -> Any:
        if kind == "public":
            return PUBLIC_ROUTES[method](self, params)
        assert account is not None
        minute = int(self.market.now() // 60)
        if minute != account.matched_minute:  # resting orders meet the market once a minute
            account.matched_minute = minute
            self.book.match(account)
        return PRIVATE_ROUTES[method](self, account, params)


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; prints its base URL first."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.kraken_server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--key", action="append", default=[])
    parser.add_argument("--secret", action="append", default=[])
    args = parser.parse_args(argv)
    if len(args.key) != len(args.secret):
        parser.error("give one --secret per --key")
    for secret in args.secret:
        try:
            base64.b64decode(secret, validate=True)
        except binascii.Error:
            parser.error("--secret must be base64")
    server = KrakenLoopbackServer(port=args.port, speed=args.speed, seed=args.seed)
    for key, secret in zip(args.key, args.secret, strict=True):
        server.add_key(key, secret)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with server:
        print(server.base_url, flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
