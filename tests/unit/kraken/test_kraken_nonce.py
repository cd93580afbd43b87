from __future__ import annotations

import fcntl
import itertools
import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from peak_trade.adapters.kraken.nonce import MARK_WIDTH, NonceSource

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class SteppingClock:
    """A wall clock that can be set anywhere, including backwards (NTP corrections)."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        return None


def test_nonces_strictly_increase_when_the_wall_clock_steps_back(tmp_path: Path) -> None:
    clock = SteppingClock(START)
    source = NonceSource(tmp_path, "key1", clock)
    first = source.next()
    clock.current = START - timedelta(hours=1)
    second = source.next()
    third = source.next()
    assert first == int(START.timestamp() * 1000)
    assert first < second < third


def test_a_new_process_never_goes_below_the_persisted_high_water_mark(tmp_path: Path) -> None:
    clock = SteppingClock(START)
    before = NonceSource(tmp_path, "key1", clock).next()
    clock.current = START - timedelta(days=1)
    after_restart = NonceSource(tmp_path, "key1", clock).next()
    assert after_restart == before + 1
    assert int((tmp_path / "nonce-key1.txt").read_text()) == after_restart


def test_a_mark_written_without_padding_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "nonce-key1.txt").write_text("99999999999999")  # an older, unpadded record
    nonce = NonceSource(tmp_path, "key1", SteppingClock(START)).next()
    assert nonce == 100000000000000
    assert (tmp_path / "nonce-key1.txt").read_text() == "00000100000000000000"


def test_a_state_file_replaced_while_open_is_read_again(tmp_path: Path) -> None:
    clock = SteppingClock(START)
    source = NonceSource(tmp_path, "key1", clock)
    source.next()
    path = tmp_path / "nonce-key1.txt"
    path.unlink()
    path.write_text(str(int(START.timestamp() * 1000) + 500))  # another process's newer mark
    assert source.next() == int(START.timestamp() * 1000) + 501
    source.close()


def test_each_key_has_its_own_high_water_mark(tmp_path: Path) -> None:
    clock = SteppingClock(START)
    a = NonceSource(tmp_path, "keyA", clock)
    for _ in range(5):
        a.next()
    assert NonceSource(tmp_path, "keyB", clock).next() == int(START.timestamp() * 1000)


def _draw(state_dir: str, count: int, go: Any, queue: multiprocessing.Queue[list[int]]) -> None:
    clock = SteppingClock(START)  # every process sees the same frozen wall clock
    source = NonceSource(Path(state_dir), "shared", clock)
    go.wait(60)  # all processes draw at the same moment, so their file accesses interleave
    queue.put([source.next() for _ in range(count)])


def test_processes_sharing_a_key_never_hand_out_the_same_nonce(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[list[int]] = context.Queue()
    go = context.Event()
    workers = [
        context.Process(target=_draw, args=(str(tmp_path), 1000, go, queue)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    go.set()
    results = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    every = [nonce for result in results for nonce in result]
    assert len(set(every)) == 3000
    for result in results:
        assert all(b > a for a, b in itertools.pairwise(result))
    assert int((tmp_path / "nonce-shared.txt").read_text()) == max(every)


def test_the_mark_is_read_and_written_only_while_the_file_lock_is_held(tmp_path: Path) -> None:
    """Deterministic: what the lock sees on the file when it is taken and when it is given
    back shows the read-modify-write happened inside it (the race test above catches a
    missing lock only sometimes)."""
    seen: list[tuple[int, str]] = []
    mark = tmp_path / "nonce-k.txt"

    def spy(fd: int, operation: int) -> None:
        seen.append((operation, mark.read_text() if mark.exists() else ""))
        fcntl.flock(fd, operation)

    source = NonceSource(tmp_path, "k", SteppingClock(START), lock=spy)
    first = source.next()
    second = source.next()

    assert seen == [
        (fcntl.LOCK_EX, ""),
        (fcntl.LOCK_UN, str(first).zfill(MARK_WIDTH)),
        (fcntl.LOCK_EX, str(first).zfill(MARK_WIDTH)),
        (fcntl.LOCK_UN, str(second).zfill(MARK_WIDTH)),
    ]


def test_a_second_holder_of_the_key_waits_for_the_lock(tmp_path: Path) -> None:
    """While one source holds the file lock, another one's next() does not get through."""
    other = NonceSource(tmp_path, "k", SteppingClock(START))
    finished: list[int] = []

    def hold_then_race(fd: int, operation: int) -> None:
        fcntl.flock(fd, operation)
        if operation == fcntl.LOCK_EX and not finished:
            racer = threading.Thread(target=lambda: finished.append(other.next()))
            racer.start()
            racer.join(timeout=0.3)  # blocked on the lock this source holds
            assert racer.is_alive(), "a second source got a nonce while the lock was held"
            holding.append(racer)

    holding: list[threading.Thread] = []
    source = NonceSource(tmp_path, "k", SteppingClock(START), lock=hold_then_race)
    mine = source.next()
    holding[0].join(timeout=5)

    assert finished
    assert finished[0] > mine
