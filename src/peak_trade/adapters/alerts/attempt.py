"""One POST to an alert service, its outcome as a Verdict: no httpx exception gets past here."""

from __future__ import annotations

import httpx

from peak_trade.adapters.alerts.service import AlertService, HttpPost, Outcome, Verdict


def post_once(
    transport: httpx.BaseTransport,
    post: HttpPost,
    service: AlertService,
    *,
    timeout_seconds: float,
) -> Verdict:
    """Send `post` through `transport` and let `service` read the answer.

    The transport is used directly, not through httpx.Client: the client logs every request URL
    at INFO, and these URLs hold secrets (Telegram's bot token, Discord's and Slack's paths).
    """
    try:
        request = httpx.Request(
            "POST",
            post.url,
            json=post.body,
            extensions={"timeout": httpx.Timeout(timeout_seconds).as_dict()},
        )
        response = transport.handle_request(request)
        try:
            body = response.read()
        finally:
            response.close()
    except httpx.TimeoutException:
        return Verdict(outcome=Outcome.RETRY, reason="timeout")
    except httpx.UnsupportedProtocol:
        return Verdict(outcome=Outcome.REJECTED, reason="unsupported URL scheme")
    except httpx.TransportError as exc:  # refused, reset, closed without an answer
        return Verdict(outcome=Outcome.RETRY, reason=type(exc).__name__)
    except Exception as exc:  # invalid URL, unserialisable body: repeating will not help
        return Verdict(outcome=Outcome.REJECTED, reason=type(exc).__name__)
    return service.verdict(response.status_code, response.headers, body)
