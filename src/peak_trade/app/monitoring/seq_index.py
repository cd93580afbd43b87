"""SeqIndex: where each event starts in events.jsonl, so a page of events is one seek away.

Built while the run log is folded (every record's start is the previous record's end), so
`events?since=SEQ` and the newest-first event pages never rescan the file. Two compact int
arrays: a year of one-minute events costs a few megabytes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right


class SeqIndex:
    """Ascending seq numbers and the byte offset where each event's line starts."""

    def __init__(self) -> None:
        self._seqs = array("q")
        self._starts = array("q")

    def __len__(self) -> int:
        return len(self._seqs)

    @property
    def last_seq(self) -> int:
        return self._seqs[-1] if self._seqs else 0

    @property
    def first_seq(self) -> int:
        return self._seqs[0] if self._seqs else 0

    def add(self, seq: object, start: int) -> None:
        """Index an event; a seq that does not grow (a broken log) is not indexed."""
        if isinstance(seq, int) and not isinstance(seq, bool) and seq > self.last_seq:
            self._seqs.append(seq)
            self._starts.append(start)

    def start_after(self, since: int) -> tuple[int, int] | None:
        """(position, byte offset) of the first indexed event with seq > since, else None."""
        position = bisect_right(self._seqs, since)
        if position >= len(self._seqs):
            return None
        return position, self._starts[position]

    def position_before(self, before: int | None) -> int:
        """How many indexed events have seq < before (all of them when before is None)."""
        return len(self._seqs) if before is None else bisect_left(self._seqs, before)

    def entry(self, position: int) -> tuple[int, int]:
        """(seq, byte offset) of the event at `position` (0-based)."""
        return self._seqs[position], self._starts[position]
