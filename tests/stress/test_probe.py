"""Issue 15: a short run of the outside probe (bench/probe.py) in CI, on SQLite and on
PostgreSQL with Redis: hostile requests over every route and method, anonymous and as every role,
under gunicorn on 127.0.0.1. Not one 5xx answer, and no typed value in anything the server logged.
The full run (60,000 requests a database) and its figures are in docs/security.md."""

from __future__ import annotations

import os

import pytest

from bench.probe import probe_one

REDIS = "redis://127.0.0.1:6379/8"  # this test's own Redis database

# serial: 2,000 requests against gunicorn in a time limit, so it runs after the parallel run.
pytestmark = pytest.mark.serial


def test_a_short_probe_finds_no_5xx_and_no_canary_in_the_logs(backend: str) -> None:
    pg_base = os.environ.get("TEST_DATABASE_URL", "")
    if backend == "postgresql" and not pg_base:
        pytest.skip("TEST_DATABASE_URL is not set")
    result = probe_one(backend, requests=2000, seconds=240, threads=3, seed=15,
                       pg_base=pg_base, redis_url=REDIS, workers=2)
    assert result["requests"] >= 2000, result
    assert result["routes"] > 150, result  # every route of the app was in the plan
    assert result["five_xx"] == 0, result["five_xx_samples"]
    assert result["canaries_in_logs"] == 0, result["canary_lines"]
    assert result["tracebacks"] == 0, result
    # The hostile requests reached the views: answered pages, refusals and validation alike.
    statuses = result["statuses"]
    assert statuses.get(200, 0) > 100 and statuses.get(403, 0) > 100, statuses
    assert statuses.get(400, 0) > 50 and statuses.get(413, 0) > 20, statuses
