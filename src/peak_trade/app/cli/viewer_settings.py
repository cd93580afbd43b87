"""Where the monitor and dashboard find run logs, and the dashboard's listen settings.

`--log-dir` wins; otherwise `[run_logging] base_dir` (and `[dashboard]`) from the config file.
A config file named with --config or PEAK_TRADE_CONFIG must load; the default path is optional
for these read-only tools (without it they read `live_runs` and use the built-in defaults).
With `--log-dir` and no `--config`, the monitor reads no config at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # imported lazily: the config module pulls in the exchange adapters
    from peak_trade.app.config import DashboardConfig


@attrs.frozen(kw_only=True)
class ViewerSettings:
    """The run-log directory and dashboard settings, and which config file (if any) gave them."""

    base_dir: Path
    dashboard: DashboardConfig | None  # None when not asked for (monitor with --log-dir)
    config_path: Path | None


def viewer_settings(
    config_arg: str | None,
    log_dir_arg: str | None,
    environ: Mapping[str, str],
    *,
    needs_dashboard: bool = False,
) -> ViewerSettings:
    """Resolve the settings for `monitor` and `dashboard` (see module docstring)."""
    if log_dir_arg and not config_arg and not needs_dashboard:
        return ViewerSettings(base_dir=Path(log_dir_arg), dashboard=None, config_path=None)
    from peak_trade.app.config import (
        DashboardConfig,
        RunLoggingConfig,
        config_path_origin,
        load_config,
        resolve_config_path,
    )

    origin = config_path_origin(config_arg, environ)
    path = resolve_config_path(config_arg, environ)
    if origin == "default" and not path.exists():
        base = Path(log_dir_arg) if log_dir_arg else RunLoggingConfig().base_dir
        return ViewerSettings(base_dir=base, dashboard=DashboardConfig(), config_path=None)
    config = load_config(path, origin=origin)
    base = Path(log_dir_arg) if log_dir_arg else config.run_logging.base_dir
    return ViewerSettings(base_dir=base, dashboard=config.dashboard, config_path=path)
