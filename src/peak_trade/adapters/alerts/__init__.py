"""Alert sinks: log, alerts.jsonl in the run directory, and HTTP services (generic/Slack webhook,
Discord, Telegram) delivered by one queued, retrying worker per sink (see `factories`)."""
