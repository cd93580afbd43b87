"""Make sure headless Chromium is installed for the dashboard's browser tests (Debian `chromium`).

Run by `make pytest` before the test suite: a quick no-op when /usr/bin/chromium exists,
otherwise `apt-get update` + `apt-get install -y chromium` (with sudo when not root). Exits
non-zero with a clear message when the installation fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def _privileged(command: Sequence[str]) -> list[str]:
    """Prefix `command` with sudo when we are not root and sudo exists."""
    if os.geteuid() == 0:
        return list(command)
    sudo = shutil.which("sudo")
    return [sudo, "-n", *command] if sudo else list(command)


def _run(command: Sequence[str]) -> int:
    print("ensure_chromium: running:", " ".join(command), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(list(command), env=env, check=False).returncode  # noqa: S603


def main() -> int:
    """Install Chromium when missing; return the process exit code."""
    if CHROMIUM.exists():
        print(f"ensure_chromium: {CHROMIUM} present, nothing to do")
        return 0
    if shutil.which("apt-get") is None:
        print(
            f"ensure_chromium: {CHROMIUM} is missing and apt-get is not available; install "
            "Chromium (Debian package `chromium`) by hand to run the browser tests.",
            file=sys.stderr,
        )
        return 1
    print(f"ensure_chromium: {CHROMIUM} is missing; installing Debian package `chromium`")
    for command in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
    ):
        code = _run(_privileged(command))
        if code != 0:
            print(
                f"ensure_chromium: `{' '.join(command)}` failed with exit code {code}; "
                "Chromium is needed by the dashboard browser tests (marker `browser`). "
                "Install it with `sudo apt-get install chromium` and run `make test` again.",
                file=sys.stderr,
            )
            return 1
    if not CHROMIUM.exists():
        print(
            f"ensure_chromium: apt-get finished but {CHROMIUM} still does not exist",
            file=sys.stderr,
        )
        return 1
    print(f"ensure_chromium: installed {CHROMIUM}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
