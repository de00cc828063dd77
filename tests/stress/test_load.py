"""The short load run (R8) as a test: bench/load_run.py --quick (8 users, 20 s) against
gunicorn on SQLite; every confirmation has its row and no request gets a 5xx."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.stress.server import REPO, server_env

# serial: servers, loads and timings that need the machine to themselves (the Makefile
# runs these after the parallel run, one at a time).
pytestmark = [pytest.mark.slow, pytest.mark.serial]


def test_short_load_run_passes() -> None:
    env = server_env("sqlite://")
    env.pop("DATABASE_URL")
    done = subprocess.run([sys.executable, "bench/load_run.py", "--quick"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "5xx responses: 0." in out, out
    assert "confirmations without a row: 0." in out, out
    assert "Survey confirmations shown: 0;" not in out, "no resident finished: proves nothing"
    assert "Staff exports: 0 " not in out, out
