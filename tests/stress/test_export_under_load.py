"""R5 as a smoke test: bench/export_under_load.py --quick (one baseline and one export round of
5 s at 100 submits/s) against gunicorn, Redis and `flask jobs-worker` on SQLite. The p99 ratio
needs a quiet machine and is not asserted here; the plumbing and the data are."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import require_redis
from tests.stress.server import REPO, server_env

# serial: servers, loads and timings that need the machine to themselves (the Makefile
# runs these after the parallel run, one at a time).
pytestmark = [pytest.mark.slow, pytest.mark.serial]


def test_an_export_during_a_submit_load_loses_nothing() -> None:
    require_redis("redis://127.0.0.1:6379/13")
    if shutil.which("wrk") is None:
        # `make test` installs Debian's wrk; without it the load cannot be made. Under CI a
        # missing tool is a failure, not a skip.
        message = "needs wrk (sudo apt-get install wrk, or run `make test`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = server_env("sqlite://")
    env.pop("DATABASE_URL")
    done = subprocess.run([sys.executable, "bench/export_under_load.py", "--quick"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=240)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "- 5xx: 0 of " in out, out
    confirmations = re.search(r"Confirmations ([\d,]+); submitted rows added ([\d,]+) \(equal", out)
    assert confirmations, out
    assert confirmations.group(1) == confirmations.group(2) != "0", out
    exports = re.search(r"Exports: (\d+) finished", out)
    assert exports and int(exports.group(1)) >= 1, out
    assert "ratio " in out, out
