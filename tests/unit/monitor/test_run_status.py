"""Status derivation: honest about runs that stopped writing without a final summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peak_trade.app.monitoring.status import derive_status, live_window_seconds

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def status(
    summary: dict[str, object] | None, age: int, ended: dict[str, object] | None = None
) -> tuple[str, bool]:
    result = derive_status(
        summary=summary,
        ended_event=ended,
        last_write=NOW - timedelta(seconds=age),
        now=NOW,
        live_window=120,
    )
    return result.status, result.live


def test_a_final_summary_decides() -> None:
    assert status({"status": "completed", "ended_at": "x"}, 99999) == ("completed", False)


def test_a_running_summary_recently_written_is_running() -> None:
    assert status({"status": "running", "ended_at": None}, 30) == ("running", True)


def test_a_running_summary_not_written_for_long_is_stale_not_running() -> None:
    result = derive_status(
        summary={"status": "running", "ended_at": None},
        ended_event=None,
        last_write=NOW - timedelta(seconds=600),
        now=NOW,
        live_window=120,
    )
    assert (result.status, result.live) == ("stale", False)
    assert "600s ago" in result.note
    assert "crashed" in result.note


def test_no_summary_and_recent_events_is_running() -> None:
    assert status(None, 5) == ("running", True)


def test_no_summary_and_old_events_is_unknown() -> None:
    assert status(None, 3600) == ("unknown (no summary)", False)


def test_a_session_ended_event_ends_the_run_without_summary() -> None:
    assert status(None, 5, {"status": "interrupted"}) == ("interrupted", False)


def test_halted_is_a_final_status() -> None:
    assert status({"status": "halted", "ended_at": "x"}, 99999) == ("halted", False)


def test_a_final_summary_older_than_the_events_does_not_decide() -> None:
    """A resumed run: summary.json still says how life 1 ended while life 2 is writing."""
    result = derive_status(
        summary={"status": "interrupted", "ended_at": "2026-01-05T12:00:00Z"},
        ended_event=None,
        last_write=NOW - timedelta(seconds=5),
        now=NOW,
        live_window=120,
        summary_current=False,
    )
    assert (result.status, result.live, result.ended) == ("running", True, False)


def test_a_session_ended_event_newer_than_the_summary_ends_the_run() -> None:
    result = derive_status(
        summary={"status": "running", "ended_at": None},
        ended_event={"status": "completed"},
        last_write=NOW - timedelta(seconds=5),
        now=NOW,
        live_window=120,
        summary_current=False,
    )
    assert (result.status, result.ended) == ("completed", True)
    assert "session_ended" in result.note


def test_live_window_is_short_for_replays_and_follows_polling_for_live_venues() -> None:
    assert live_window_seconds({"clock": "simulated"}) == 120
    meta = {"clock": "system", "timeframe": "1m", "session": {"poll_interval_seconds": "60"}}
    assert live_window_seconds(meta) == 180
    hourly = {"clock": "system", "timeframe": "1h", "session": {"poll_interval_seconds": "60"}}
    assert live_window_seconds(hourly) == 1800
    assert live_window_seconds(None) == 300
