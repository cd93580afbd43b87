"""Refuse credentials in the config file: key names that would hold one, values that look like one.

Messages name file, section and key but never contain the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from peak_trade.app.errors import ConfigError

_CREDENTIAL_KEYS = frozenset(
    {
        "api_key",
        "apikey",
        "api_secret",
        "secret",
        "secret_key",
        "private_key",
        "password",
        "passwd",
        "token",
        "access_token",
        "auth_token",
        "passphrase",
        "webhook_url",
    }
)
_CREDENTIAL_SUFFIXES = ("_secret", "_password", "_token", "_passphrase", "_api_key", "_private_key")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{32,}")
_URL_USERINFO = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]+@", re.IGNORECASE)
_URL_SECRET_QUERY = re.compile(r"[?&](token|key|secret|sig|signature|password)=", re.IGNORECASE)
_WEBHOOK_HOSTS = ("hooks.slack.com/", "discord.com/api/webhooks/", "discordapp.com/api/webhooks/")
# A filesystem path: absolute, home-relative, explicitly relative or a Windows drive. Its
# slashes and word separators are structure, not base64: only a long unbroken run inside one
# name can be a secret there.
_PATH = re.compile(r"^(?:/|~/|\.{1,2}/|[A-Za-z]:[\\/])")
_PATH_PARTS = re.compile(r"[\\/._\s-]+")


def _dotted(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def is_credential_key(key: str) -> bool:
    """True for key names that would hold a credential value (api_key, secret, token, ...)."""
    name = key.strip().lower().replace("-", "_")
    if name.endswith(("_env_var", "_env")):
        return False
    return name in _CREDENTIAL_KEYS or name.endswith(_CREDENTIAL_SUFFIXES)


def _looks_random(run: str) -> bool:
    classes = sum(
        (
            any(c.islower() for c in run),
            any(c.isupper() for c in run),
            any(c.isdigit() for c in run),
        )
    )
    return classes >= 3


def looks_like_secret(value: str) -> bool:
    """True for strings that look like an API secret, a token or a URL that carries one."""
    lowered = value.lower()
    if _URL_USERINFO.match(value) or _URL_SECRET_QUERY.search(value):
        return True
    if any(host in lowered for host in _WEBHOOK_HOSTS):
        return True
    if _PATH.match(value):
        return any(_random_run(part) for part in _PATH_PARTS.split(value))
    return _random_run(value)


def _random_run(text: str) -> bool:
    """A long base64-like run mixing three character classes, or a long hex run with letters."""
    if any(_looks_random(m.group(0)) for m in _B64_RUN.finditer(text)):
        return True
    return any(
        any(c.isdigit() for c in m.group(0)) and any(c.isalpha() for c in m.group(0))
        for m in _HEX_RUN.finditer(text)
    )


def _walk(node: object, section: str, key: str) -> Iterator[tuple[str, str, object]]:
    if isinstance(node, Mapping):
        inner = _dotted(section, key) if key else section
        for child_key, child in node.items():
            yield inner, str(child_key), child
            yield from _walk(child, inner, str(child_key))
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, Mapping | list):
                yield from _walk(item, section, key)
            else:
                yield section, key, item


def find_credential(document: Mapping[str, object], file: str) -> ConfigError | None:
    """A ConfigError for the first credential-like key or value in `document`, else None."""
    for section, key, value in _walk(document, "", ""):
        if is_credential_key(key):
            return ConfigError(
                "this key would hold a credential; credentials never go into the config file. "
                "Put the value in an environment variable and name that variable in the "
                "matching *_env_var key",
                file=file,
                section=section,
                key=key,
            )
        if isinstance(value, str) and looks_like_secret(value):
            return ConfigError(
                "the value looks like a credential (a secret, token or a URL carrying one) and "
                "is refused; credentials come only from environment variables named in the "
                "config (the value is not shown here)",
                file=file,
                section=section,
                key=key,
            )
    return None
