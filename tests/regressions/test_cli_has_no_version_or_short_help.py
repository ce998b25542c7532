"""Symptom: `ekipgraph --version` and `ekipgraph -h` (and `-h` on a command) were
errors ("No such option"), where every command-line tool answers them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer

from ekipgraph import __version__
from ekipgraph.cli import app

USAGE = r"Usage: (?:python -m )?ekipgraph "
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def ekipgraph(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ekipgraph", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag(flag: str) -> None:
    result = ekipgraph(flag)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ekipgraph {__version__}")


def test_short_help_on_the_program_and_every_command() -> None:
    assert len(COMMANDS) > 10
    top = ekipgraph("-h")
    assert top.returncode == 0 and re.search(USAGE + r"\[OPTIONS\]", top.stdout), top.stderr
    for command in COMMANDS:
        result = ekipgraph(command, "-h")
        assert result.returncode == 0, (command, result.stderr)
        assert re.search(USAGE + re.escape(command), " ".join(result.stdout.split())), command
