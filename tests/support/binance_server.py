"""A Binance-Spot-compatible HTTP server on 127.0.0.1 for tests, e2e runs and benchmarks.

Real sockets (ThreadingHTTPServer in a thread), Binance's /api/v3 paths and JSON, X-MBX-APIKEY
plus an HMAC-SHA256 or Ed25519 signature verified over the exact query + body, timestamps
checked against recvWindow on its own (skewable) clock, the request-weight budget with
X-MBX-USED-WEIGHT-1M, a small matching engine (loopback_book), a seeded market
(binance_market), monthly-reset simulation and on-demand faults (binance_faults).

    with BinanceLoopbackServer(speed=0) as server:
        server.add_key("key", secret="secret")
        server.inject("POST", "/api/v3/order", Fault.http_status(503, process=True))
        ... point BinanceTestnetClient at server.base_url ...

CLI: python -m tests.support.binance_server --port 0 --speed 60 --key K --secret S
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.support.binance_auth import authenticate
from tests.support.binance_book import DEFAULT_BALANCES, Account, BinanceBook
from tests.support.binance_faults import Fault
from tests.support.binance_handler import BinanceRequestHandler
from tests.support.binance_market import BinanceLoopbackMarket, default_symbols
from tests.support.binance_order_rules import BinanceFailure

__all__ = ["BinanceLoopbackServer", "Fault"]

WINDOW_MS = 60_000


class BinanceLoopbackServer:
    """Binance Spot REST on a random loopback port; a context manager."""

    def __init__(
        self,
        *,
        port: int = 0,
        speed: float = 1.0,
        seed: int = 7,
        start: datetime | None = None,
        time_source: Callable[[], float] | None = None,
        symbols: Mapping[str, Mapping[str, Any]] | None = None,
        weight_limit: int = 6000,
    ) -> None:
        self.market = BinanceLoopbackMarket(
            seed=seed, speed=speed, start=start, time_source=time_source
        )
        # Without a time source the market may run fast (speed) or stand still (0), but
        # request timestamps come from real clocks: check them against the wall clock.
        self._wall_clock = time_source is None
        source = symbols if symbols is not None else default_symbols()
        self.book = BinanceBook(self.market, {k: dict(v) for k, v in source.items()})
        self.accounts: dict[str, Account] = {}
        self.weight_limit = weight_limit
        self.other_weight = 0  # weight "other clients on this IP" used in every window
        self.clock_offset_ms = 0  # this server's clock minus the market clock (skew)
        self.empty_bids: set[str] = set()
        self.request_counts: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []  # ("METHOD /path", params)
        self.signatures_seen: list[str] = []
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self._weights: dict[int, int] = {}
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._deferred: list[list[Any]] = []  # [lookups left, account, params]
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), BinanceRequestHandler)
        self._httpd.daemon_threads = True
        self._httpd.binance = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BinanceLoopbackServer:
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

    def __enter__(self) -> BinanceLoopbackServer:
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
        self, api_key: str, *, secret: str, balances: Mapping[str, str] | None = None
    ) -> Account:
        """Register an HMAC key (each key has its own balances, orders and trades)."""
        with self.lock:
            account = Account(secret=secret, balances=balances or DEFAULT_BALANCES)
            self.accounts[api_key] = account
            return account

    def add_ed25519_key(
        self, api_key: str, public_key_pem: bytes, balances: Mapping[str, str] | None = None
    ) -> Account:
        """Register an Ed25519 key by its public key (PEM), as Binance's key upload does."""
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        with self.lock:
            account = Account(
                public_key=load_pem_public_key(public_key_pem),
                balances=balances or DEFAULT_BALANCES,
            )
            self.accounts[api_key] = account
            return account

    def account(self, api_key: str) -> Account:
        return self.accounts[api_key]

    def inject(self, method: str, path: str, fault: Fault) -> None:
        """Queue a fault for the next `fault.times` requests to `METHOD path`."""
        with self.lock:
            for _ in range(fault.times):
                self._faults[f"{method} {path}"].append(fault)

    def set_symbol_status(self, name: str, status: str) -> None:
        with self.lock:
            self.book.symbols[name]["status"] = status

    def reset_testnet(self) -> None:
        """What Binance does about monthly: every order and trade vanishes, balances refill."""
        with self.lock:
            for account in self.accounts.values():
                account.reset()

    def params_sent(self, key: str) -> list[dict[str, str]]:
        """Parameters of every request to `METHOD path`, in order."""
        with self.lock:
            return [params for name, params in self.requests if name == key]

    def now_ms(self) -> int:
        """This server's clock in ms, plus the configured skew: what /api/v3/time answers and
        timestamps and weight windows are checked against. It is the wall clock, or - with a
        `time_source` - the market clock that follows it (a test's SimulatedClock)."""
        if self._wall_clock:
            return round(time.time() * 1000) + self.clock_offset_ms
        return self.market_ms() + self.clock_offset_ms

    def market_ms(self) -> int:
        """The market clock in ms (runs at `speed`): candles, order and trade times."""
        return round(self.market.now() * 1000)

    # -- request handling (called from handler threads) ----------------------------------------
    def record(self, key: str, params: dict[str, str]) -> None:
        with self.lock:
            self.request_counts[key] += 1
            shown = {k: v for k, v in params.items() if k not in ("signature", "timestamp")}
            self.requests.append((key, shown))

    def take_fault(self, key: str) -> Fault | None:
        with self.lock:
            queue = self._faults.get(key)
            return queue.popleft() if queue else None

    def used_weight(self) -> int:
        """The weight counted in the current one-minute window (this IP: all clients)."""
        with self.lock:
            return self._weights.get(self.now_ms() // WINDOW_MS, 0) + self.other_weight

    def charge_weight(self, weight: int) -> dict[str, str]:
        """Count a request's weight; over the limit -> 429 -1003 with Retry-After."""
        now = self.now_ms()
        window = now // WINDOW_MS
        used = self._weights.get(window, 0) + self.other_weight
        if used + weight > self.weight_limit:
            retry_after = max(1, ((window + 1) * WINDOW_MS - now) // 1000)
            raise BinanceFailure(
                -1003,
                f"Too much request weight used; current limit is {self.weight_limit} request "
                "weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid "
                "polling the API.",
                429,
                retry_after=retry_after,
            )
        self._weights[window] = self._weights.get(window, 0) + weight
        total = str(used + weight)
        return {"X-MBX-USED-WEIGHT-1M": total, "X-MBX-USED-WEIGHT": total}

    def authenticate(
        self, headers: Mapping[str, str], query: str, body: str, params: Mapping[str, str]
    ) -> Account:
        """The account of a signed request (see binance_auth)."""
        return authenticate(
            self.accounts,
            headers,
            query,
            body,
            params,
            now_ms=self.now_ms(),
            signatures_seen=self.signatures_seen,
        )

    def match_resting(self, account: Account, now_ms: int) -> None:
        """Resting limit orders meet the market once per market minute."""
        minute = now_ms // WINDOW_MS
        if minute != account.matched_minute:
            account.matched_minute = minute
            self.book.match(account, now_ms)

    def defer_order(self, account: Account, params: dict[str, str], lookups: int) -> None:
        """Keep a new order unapplied until `lookups` order lookups have been answered."""
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
                self.book.place(entry[1], entry[2], self.market_ms())


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; prints its base URL first."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.binance_server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--key", action="append", default=[], help="HMAC API key")
    parser.add_argument("--secret", action="append", default=[], help="its HMAC secret")
    parser.add_argument("--ed25519-key", action="append", default=[], help="Ed25519 API key")
    parser.add_argument(
        "--public-key", action="append", default=[], type=Path, help="its public key (PEM file)"
    )
    args = parser.parse_args(argv)
    if len(args.key) != len(args.secret):
        parser.error("give one --secret per --key")
    if len(args.ed25519_key) != len(args.public_key):
        parser.error("give one --public-key per --ed25519-key")
    server = BinanceLoopbackServer(port=args.port, speed=args.speed, seed=args.seed)
    for key, secret in zip(args.key, args.secret, strict=True):
        server.add_key(key, secret=secret)
    for key, pem in zip(args.ed25519_key, args.public_key, strict=True):
        server.add_ed25519_key(key, pem.read_bytes())
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with server:
        print(server.base_url, flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
