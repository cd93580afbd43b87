"""README.md stays true: its Python snippet runs as shown, and every `peak-trade` command line in
it uses commands and flags the CLI has."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from peak_trade.app.cli.main import build_parser

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


SEED_SCRIPTS = {  # the Phase 35 spec's commands and the peak-trade command each stands for
    "scripts.run_testnet_session": "session",
    "scripts.monitor_live_run": "monitor",
    "scripts.serve_live_dashboard": "dashboard",
}


def command_lines() -> list[list[str]]:
    """Each `peak-trade ...` (or seed `python -m scripts.X ...`) invocation in the bash blocks,
    continuation lines joined, as the peak-trade command and its arguments."""
    found = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split("#", 1)[0])
            if any(w.endswith("peak-trade") for w in words):
                start = next(i for i, w in enumerate(words) if w.endswith("peak-trade"))
                found.append(words[start + 1 :])
            elif "-m" in words and words[words.index("-m") + 1] in SEED_SCRIPTS:
                start = words.index("-m") + 1
                found.append([SEED_SCRIPTS[words[start]], *words[start + 1 :]])
    return found


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_embedding_snippet_runs_as_shown() -> None:
    (snippet,) = blocks("python")
    done = subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    status, orders, _equity = done.stdout.split()
    assert status == "completed"
    assert int(orders) > 0


@pytest.mark.parametrize("words", command_lines(), ids=lambda words: " ".join(words)[:60])
def test_every_command_line_uses_existing_commands_and_flags(words: list[str]) -> None:
    commands = subparsers()
    assert words[0] in commands, f"no command {words[0]!r}"
    parser = commands[words[0]]
    if words[0] == "data":  # data has its own sub-commands
        nested = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = nested.choices[words[1]]
    known = {flag for action in parser._actions for flag in action.option_strings}
    used = {w.split("=", 1)[0] for w in words if w.startswith("--")}
    assert used <= known, f"unknown flags {sorted(used - known)} for {' '.join(words[:2])}"
