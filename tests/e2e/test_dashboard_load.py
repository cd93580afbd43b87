"""`peak-trade dashboard` keeps answering under load: 1,000 mixed requests from 100 concurrent
clients all get their answer (no reset, no timeout), and clients that go away mid-answer leave
no traceback behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

pytestmark = pytest.mark.slow
RUN = "load-run"
CLIENTS = 100
PER_CLIENT = 10


def test_a_hundred_clients_get_every_answer_and_no_traceback(tmp_path: Path) -> None:
    log_dir = tmp_path / "runs"
    session = peak_trade(
        "session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(log_dir), "--run-id", RUN,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PEAK_TRADE_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "peak_trade", "dashboard", "--port", "0", "--log-dir", str(log_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        found = re.search(r"(http://127\.0\.0\.1:(\d+))/", proc.stdout.readline())
        assert found is not None
        base, port = found.group(1), int(found.group(2))
        paths = [
            "/health",
            f"/runs/{RUN}",
            f"/api/runs/{RUN}",
            f"/api/runs/{RUN}/events?since=0&limit=50",
            "/",
            "/metrics",
        ]
        statuses: list[int] = []
        failures: list[str] = []

        def client(number: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                for i in range(PER_CLIENT):
                    path = paths[(number + i) % len(paths)]
                    try:
                        statuses.append(http.get(path).status_code)
                    except httpx.HTTPError as exc:
                        failures.append(f"{path}: {type(exc).__name__}")

        def impatient() -> None:  # asks for the biggest page and hangs up at once
            for _ in range(20):
                with socket.create_connection(("127.0.0.1", port)) as raw:
                    raw.sendall(f"GET /runs/{RUN} HTTP/1.1\r\nHost: x\r\n\r\n".encode())

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        threads.append(threading.Thread(target=impatient))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)

        assert failures == []
        assert len(statuses) == CLIENTS * PER_CLIENT
        assert set(statuses) == {200}
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert "Traceback" not in err
    assert "BrokenPipe" not in err
