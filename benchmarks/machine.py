"""The machine and software versions a run was measured on."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "peak_trade",
    "backtesting",
    "pandas",
    "numpy",
    "ccxt",
    "python-kraken-sdk",
    "httpx",
    "requests",
    "attrs",
    "dependency-injector",
    "psutil",
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def total_ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                name = line.split("=", 1)[1].strip().strip('"')
                return f"{name} (kernel {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine_lines() -> list[str]:
    """Markdown bullet lines describing machine, OS, Python and package versions."""
    versions = ", ".join(f"{name} {package_version(name)}" for name in PACKAGES)
    return [
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores",
        f"- RAM: {total_ram_gib():.1f} GiB",
        f"- OS: {os_name()}",
        f"- Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"- Load average when the run started (1/5/15 min): {_load()}",
        f"- Packages: {versions}",
    ]
