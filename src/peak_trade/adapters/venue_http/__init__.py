"""Mechanics every HTTP venue adapter shares (Kraken, Binance), one concern per module.

- errors.py: the adapter error family on top of the port errors, with the flags the order path
  needs (`retryable` for reads, `refused` / `unsent` for the one question that matters after an
  order was sent: could the venue have processed it?).
- retry.py: bounded retries with exponential backoff and jitter, waited on the ClockPort;
  executing orders are never repeated unless the request provably never left.
- venues.py: production-vs-sandbox host policy and the transport's second safety guard.
- lazy_session.py / httpx_session.py: one pooled keep-alive httpx.Client, built (and httpx
  imported) on the first request, with transport failures translated.
- redaction.py: a logging filter that keeps API keys, signatures and registered secrets out of
  httpx/httpcore debug logs.
- json_values.py: typed access to venue JSON with protocol errors naming the endpoint.

Nothing here knows a venue's paths, payloads or error codes.
"""
