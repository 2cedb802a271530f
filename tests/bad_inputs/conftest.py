"""The bad-input catalogue's shared checks: how a refusal must look.

Each case ends in a clear refusal or the right answer, never a traceback, a hang or a silently
wrong result. A clear refusal is a ``ValueError`` whose message names the field and the value
(library), or exit code 2 with exactly one line on stderr and no traceback (CLI).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CLI_TIMEOUT_S = 120  # a hang fails the case instead of the suite


@dataclass(frozen=True)
class CliRun:
    code: int
    out: str
    err: str


def run_cli(module: str, *argv: str, cwd: Path | None = None, stdin: str | None = None) -> CliRun:
    """Run ``python -m module argv...`` as a user would; a hang fails the case."""
    try:
        done = subprocess.run([sys.executable, "-m", module, *map(str, argv)], cwd=cwd or ROOT,
                              capture_output=True, text=True, timeout=CLI_TIMEOUT_S, input=stdin)
    except subprocess.TimeoutExpired:
        pytest.fail(f"python -m {module} {' '.join(map(str, argv))} hung")
    return CliRun(done.returncode, done.stdout, done.stderr)


def assert_cli_refused(run: CliRun, *needles: str) -> None:
    """Exit code 2, one line on stderr naming each of ``needles`` (case-insensitive), no trace."""
    assert "Traceback" not in run.err, run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert run.code == 2, f"exit {run.code}, stderr: {run.err!r}"
    assert len(lines) == 1, f"expected one line on stderr, got {lines}"
    for needle in needles:
        assert needle.lower() in lines[0].lower(), f"{needle!r} not in {lines[0]!r}"


def assert_refused(call, *needles: str) -> str:
    """``call()`` raises ValueError whose message names each of ``needles``; returns it."""
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    for needle in needles:
        assert needle.lower() in message.lower(), f"{needle!r} not in {message!r}"
    return message
