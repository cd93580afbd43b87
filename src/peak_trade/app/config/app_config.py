"""Load config/config.toml into frozen, validated config objects (design.md section 8).

`load_config(path)` parses with tomli (`parse_float=Decimal`, so no float ever appears) and
refuses unknown sections and keys, wrong types, out-of-range values, a `testnet_dry_run` that
disagrees with an exchange's `validate_only`, and anything that looks like a credential.
Every refusal is a ConfigError naming file, section, key and reason.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs
import tomli

from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.config.monitoring import (
    DashboardConfig,
    RunLoggingConfig,
    read_alerts,
    read_dashboard,
    read_run_logging,
)
from peak_trade.app.config.reader import NAME, TableReader
from peak_trade.app.config.secrets import find_credential
from peak_trade.app.config.sections import (
    EnvironmentSettings,
    default_live_risk,
    read_environment,
    read_live_risk,
    read_testnet_session,
)
from peak_trade.app.errors import ConfigError
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.domain.environment import EnvironmentConfig
from peak_trade.domain.risk import LiveRiskLimits

if TYPE_CHECKING:
    from peak_trade.app.venues import VenueRegistry, VenueSettings


CONFIG_ENV_VAR = "PEAK_TRADE_CONFIG"
DEFAULT_CONFIG_PATH = Path("config/config.toml")
SECTIONS = (
    "environment",
    "exchange",
    "testnet_session",
    "live_risk",
    "strategy",
    "run_logging",
    "alerts",
    "dashboard",
)


@attrs.frozen(kw_only=True)
class AppConfig:
    """The whole validated config file plus where it came from and its sha256."""

    path: Path
    sha256: str
    environment: EnvironmentSettings = attrs.field(factory=EnvironmentSettings)
    exchanges: Mapping[str, VenueSettings] = attrs.field(factory=lambda: _default_exchanges())
    testnet_session: TestnetSessionConfig = attrs.field(factory=TestnetSessionConfig)
    live_risk: LiveRiskLimits = attrs.field(factory=default_live_risk)
    strategies: Mapping[str, Mapping[str, object]] = MappingProxyType({})
    run_logging: RunLoggingConfig = attrs.field(factory=RunLoggingConfig)
    alerts: AlertsConfig = attrs.field(factory=AlertsConfig)
    dashboard: DashboardConfig = attrs.field(factory=DashboardConfig)

    def environment_config(self) -> EnvironmentConfig:
        """The domain's view of [environment]: the trading environment to guard on."""
        return EnvironmentConfig(environment=self.environment.mode)

    def exchange(self, name: str) -> VenueSettings:
        """The `[exchange.<name>]` settings of a registered venue (ValueError for others)."""
        try:
            return self.exchanges[name]
        except KeyError:
            known = ", ".join(self.exchanges)
            raise ValueError(f"unknown exchange {name!r}; known: {known}") from None

    @classmethod
    def from_toml(
        cls,
        document: Mapping[str, object],
        *,
        path: Path,
        sha256: str,
        venues: VenueRegistry | None = None,
    ) -> AppConfig:
        """Validate a parsed TOML document (floats parsed as Decimal) into an AppConfig; the
        `[exchange.<name>]` sections are those of `venues` (the built-in venues by default)."""
        file = str(path)
        credential = find_credential(document, file)
        if credential is not None:
            raise credential
        for name, value in document.items():
            if name not in SECTIONS:
                raise ConfigError(
                    f"unknown section; known sections: {', '.join(SECTIONS)}",
                    file=file,
                    section=name,
                )
            if not isinstance(value, Mapping):
                raise ConfigError(
                    "expected a table ([section]), got a plain value", file=file, section=name
                )

        def reader(section: str, table: Mapping[str, object] | None = None) -> TableReader:
            raw = document.get(section, {}) if table is None else table
            assert isinstance(raw, Mapping)
            return TableReader(file, section, raw)

        registry = venues if venues is not None else _builtin_venues()
        tables = _exchange_tables(file, reader("exchange"), registry.names())
        exchanges = {
            spec.name: spec.read_settings(reader(f"exchange.{spec.name}", tables[spec.name]))
            for spec in registry
        }
        config = cls(
            path=path,
            sha256=sha256,
            environment=read_environment(reader("environment")),
            exchanges=MappingProxyType(exchanges),
            testnet_session=read_testnet_session(reader("testnet_session"), registry.names()),
            live_risk=read_live_risk(reader("live_risk")),
            strategies=_strategies(file, reader("strategy")),
            run_logging=read_run_logging(reader("run_logging")),
            alerts=read_alerts(reader("alerts")),
            dashboard=read_dashboard(reader("dashboard")),
        )
        _check_dry_run_agrees(config, tables)
        return config


def _builtin_venues() -> VenueRegistry:
    from peak_trade.app.venues import builtin_venues  # the registry imports config's reader

    return builtin_venues()


def _default_exchanges() -> Mapping[str, VenueSettings]:
    return MappingProxyType({spec.name: spec.default_settings() for spec in _builtin_venues()})


def _exchange_tables(
    file: str, r: TableReader, names: tuple[str, ...]
) -> dict[str, Mapping[str, object]]:
    tables = {name: r.table(name) for name in names}
    for name in r.names():
        if name not in names:
            raise ConfigError(
                f"unknown exchange; known: {', '.join(names)}",
                file=file,
                section=f"exchange.{name}",
            )
    return tables


def _strategies(file: str, r: TableReader) -> Mapping[str, Mapping[str, object]]:
    strategies: dict[str, Mapping[str, object]] = {}
    for name in r.names():
        params = r.table(name)
        if not NAME.match(name):
            raise r.error(name, "a strategy name must be an identifier such as ma_crossover")
        for key, value in params.items():
            if isinstance(value, Mapping) and "/" in key:  # ["BTC/EUR"]: one symbol's params
                _check_params(file, f'strategy.{name}."{key}"', value)
            else:
                _check_params(file, f"strategy.{name}", {key: value})
        strategies[name] = MappingProxyType(dict(params))
    return MappingProxyType(strategies)


def _check_params(file: str, section: str, params: Mapping[str, object]) -> None:
    for key, value in params.items():
        if isinstance(value, Mapping | list) or not isinstance(value, str | int | Decimal):
            raise ConfigError(
                "strategy parameters must be numbers, strings or booleans (a per-symbol table "
                'is named like [strategy.ma_crossover."BTC/EUR"])',
                file=file,
                section=section,
                key=key,
            )


def _check_dry_run_agrees(config: AppConfig, given: Mapping[str, Mapping[str, object]]) -> None:
    """testnet_dry_run against every exchange section that sets validate_only in the file (the
    exchange a session uses is checked again when the session is planned, defaults included)."""
    for exchange in config.exchanges:
        if "validate_only" in given[exchange]:
            dry_run_disagreement(config, exchange)


def dry_run_disagreement(config: AppConfig, exchange: str) -> None:
    """ConfigError naming both keys when [environment] testnet_dry_run is set and disagrees
    with `exchange`'s validate_only, the one knob that decides whether orders may execute."""
    dry_run = config.environment.testnet_dry_run
    validate_only = config.exchange(exchange).validate_only
    if dry_run is None or validate_only == dry_run:
        return
    raise ConfigError(
        f"testnet_dry_run = {str(dry_run).lower()} disagrees with "
        f"[exchange.{exchange}] validate_only = {str(validate_only).lower()}. "
        "validate_only is the one knob that decides whether orders may execute; "
        "remove testnet_dry_run or make both keys agree",
        file=str(config.path),
        section="environment",
        key="testnet_dry_run",
    )


def config_path_origin(cli_value: str | Path | None, environ: Mapping[str, str]) -> str:
    """How `resolve_config_path` chose the path: '--config', 'PEAK_TRADE_CONFIG' or 'default'."""
    if cli_value:
        return "--config"
    if environ.get(CONFIG_ENV_VAR):
        return CONFIG_ENV_VAR
    return "default"


def resolve_config_path(cli_value: str | Path | None, environ: Mapping[str, str]) -> Path:
    """--config if given, else $PEAK_TRADE_CONFIG, else config/config.toml."""
    if cli_value:
        return Path(cli_value)
    from_env = environ.get(CONFIG_ENV_VAR)
    if from_env:
        return Path(from_env)
    return DEFAULT_CONFIG_PATH


def load_config(
    path: Path | str, *, origin: str = "", venues: VenueRegistry | None = None
) -> AppConfig:
    """Read, hash and validate the config file at `path` (`origin` explains how it was chosen)."""
    path = Path(path)
    chosen = {
        "--config": "given with --config",
        CONFIG_ENV_VAR: f"taken from ${CONFIG_ENV_VAR}",
        "default": f"the default path; choose another with --config or ${CONFIG_ENV_VAR}",
    }.get(origin, origin)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        how = f" ({chosen})" if chosen else ""
        raise ConfigError(f"config file not found{how}", file=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror}", file=str(path)) from None
    try:
        document = tomli.load(io.BytesIO(data), parse_float=Decimal)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        where = f"line {line}, column {getattr(exc, 'colno', '?')}: " if line else ""
        raise ConfigError(
            f"TOML syntax error at {where}{getattr(exc, 'msg', exc)}", file=str(path)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("the file is not valid UTF-8", file=str(path)) from None
    sha256 = hashlib.sha256(data).hexdigest()
    return AppConfig.from_toml(document, path=path, sha256=sha256, venues=venues)


def load_config_from(
    cli_value: str | Path | None,
    environ: Mapping[str, str],
    venues: VenueRegistry | None = None,
) -> AppConfig:
    """Resolve the config path (--config, $PEAK_TRADE_CONFIG, default) and load it."""
    path = resolve_config_path(cli_value, environ)
    return load_config(path, origin=config_path_origin(cli_value, environ), venues=venues)
