"""Adding a venue is one adapter plus one registry entry: a venue registered only here goes
through config loading, the CLI's --dry-run and the container like a built-in one."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from tests.unit.app.fakes import SpyExchange

from peak_trade.app.bootstrap import build_testnet_session
from peak_trade.app.cli.main import main
from peak_trade.app.config import load_config
from peak_trade.app.config.reader import TableReader
from peak_trade.app.errors import ConfigError
from peak_trade.app.plan import SessionRequest, credential_status, resolve_session_plan
from peak_trade.app.venues import VenueBuild, VenueSpec, builtin_venues
from peak_trade.domain.environment import Venue
from peak_trade.ports.exchange import ExchangePort

BUILT: list[VenueBuild] = []


@attrs.frozen(kw_only=True)
class SpySettings:
    """[exchange.spy_venue]: the keys every venue has, plus one of its own."""

    enabled: bool = True
    validate_only: bool = True
    api_key_env_var: str = "SPY_VENUE_KEY"
    greeting: str = "hello"


def read_spy(r: TableReader) -> SpySettings:
    settings = SpySettings(
        enabled=r.boolean("enabled", True),
        validate_only=r.boolean("validate_only", True),
        api_key_env_var=r.string("api_key_env_var", "SPY_VENUE_KEY"),
        greeting=r.string("greeting", "hello"),
    )
    r.finish()
    return settings


def spy_venue(settings: SpySettings) -> Venue:
    return Venue(name="spy", production=False, validate_only=settings.validate_only, host="spy")


def build_spy(build: VenueBuild) -> ExchangePort:
    BUILT.append(build)
    return SpyExchange(venue=spy_venue(build.settings))


SPY = VenueSpec(
    name="spy_venue",
    description="a venue known only to these tests",
    read_settings=read_spy,
    venue=spy_venue,
    credential_vars=lambda settings: (settings.api_key_env_var,),
    credentials_help="a spy key",
    build=build_spy,
)
REGISTRY = builtin_venues().with_venue(SPY)
CONFIG = """
[testnet_session]
default_exchange = "spy_venue"
warmup_candles = 0
[exchange.spy_venue]
greeting = "hi"
"""


def config_file(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "spy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_names_its_venues_and_refuses_a_second_one_of_a_name() -> None:
    assert REGISTRY.names() == ("kraken_testnet", "binance_testnet", "in_memory", "spy_venue")
    assert builtin_venues().names() == ("kraken_testnet", "binance_testnet", "in_memory")
    with pytest.raises(ValueError, match="registered already"):
        REGISTRY.with_venue(SPY)


def test_a_registered_venue_gets_its_own_config_section_read_and_checked(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path), venues=REGISTRY)
    assert config.exchange("spy_venue") == SpySettings(greeting="hi")
    with pytest.raises(ConfigError, match=r"\[exchange.spy_venue\]:colour: unknown key"):
        load_config(config_file(tmp_path, CONFIG + 'colour = "red"\n'), venues=REGISTRY)
    with pytest.raises(ConfigError, match="unknown exchange"):
        load_config(config_file(tmp_path))  # without the registry the section is unknown


def test_dry_run_of_the_cli_goes_through_the_new_venue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SPY_VENUE_KEY", "not-a-real-key")
    argv = ["session", "--config", str(config_file(tmp_path)), "--dry-run"]
    assert main(argv, venues=REGISTRY) == 0
    shown = capsys.readouterr().out
    assert "spy_venue" in shown
    assert "spy at spy (sandbox venue)" in shown
    assert "SPY_VENUE_KEY set" in shown
    assert "not-a-real-key" not in shown


def test_dry_run_names_the_new_venues_missing_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SPY_VENUE_KEY", raising=False)
    argv = ["session", "--config", str(config_file(tmp_path)), "--dry-run"]
    assert main(argv, venues=REGISTRY) == 2
    assert "spy_venue credentials missing: set SPY_VENUE_KEY" in capsys.readouterr().err


def test_the_container_builds_and_runs_a_session_on_the_new_venue(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path), venues=REGISTRY)
    request = SessionRequest(max_steps=1, no_logging=True)
    plan = resolve_session_plan(request, config, venues=REGISTRY)
    assert credential_status(config, plan, {"SPY_VENUE_KEY": "x"}) == {"SPY_VENUE_KEY": True}
    BUILT.clear()
    session = build_testnet_session(config, plan, environ={})
    summary = session.run()
    session.close()
    assert [build.settings for build in BUILT] == [SpySettings(greeting="hi")]
    assert summary["status"] == "completed"
    assert summary["steps"] == 1
    assert session.venue.name == "spy"
