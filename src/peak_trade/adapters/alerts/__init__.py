"""Alert sinks: log, alerts.jsonl in the run directory, and a non-blocking webhook."""
