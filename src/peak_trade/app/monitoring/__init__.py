"""The read side of the run log: digests, statuses and views for monitor and dashboard."""
