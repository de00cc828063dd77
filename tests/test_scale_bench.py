"""bench/scale_bench.py at a small size (issue 21): it builds its data on a fresh PostgreSQL
database by the real migrations and COPY, measures through gunicorn, and writes every figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"staff home", "survey list", "survey page", "weighted results", "fieldwork dashboard",
         "theme list", "theme page", "equity lens", "moderation queue", "board", "report"}

# serial: it starts gunicorn and loads it (the Makefile runs these one at a time).
pytestmark = [pytest.mark.serial]


@pytest.fixture
def empty_postgres() -> str:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        message = "the scale benchmark runs on PostgreSQL: set TEST_DATABASE_URL to one"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)  # CI runs PostgreSQL: never skipped there
        pytest.skip(message)
    name = f"engage_scale_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_scale_benchmark_builds_measures_and_writes_every_figure(
        empty_postgres: str, tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "ENGAGE_ENV", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "bench/scale_bench.py", "--responses", "1000", "--database-url",
         empty_postgres, "--json", str(out), "--repeats", "1", "--seconds", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    figures = json.loads(out.read_text())
    assert set(figures["staff_pages_p95_ms"]) == PAGES
    assert all(0 < ms < 60_000 for ms in figures["staff_pages_p95_ms"].values()), figures
    assert 0 < figures["weighted_results_s"] < 60
    # The latest of five waves (smaller, and a ward would have nobody in it to weight).
    assert figures["csv_export"]["rows"] == 200
    assert figures["csv_rows_per_s"] > 0
    assert 0 < figures["resident_p99_ms"] < 60_000
    assert figures["resident_requests"] > 0
    assert figures["under_load"]["exports"] >= 1
    memory = figures["worker_rss_mb"]
    assert memory["workers"] >= 1 and 20 < memory["idle"] < 2000 and memory["end"] > 20
    # Residents' and staff pages on two pools of two workers (docs/deploy.md), the staff
    # pool niced; the export's CPU in the web workers measured.
    assert figures["pools"] == "split" and memory["workers"] == 4
    assert figures["staff_pool_nice"] == 5 and set(memory["end_by_pool"]) == {"resident", "staff"}
    assert figures["csv_export"]["worker_cpu_s"] > 0
    assert figures["csv_export"]["rows_per_worker_cpu_s"] > 0
    counts = figures["counts"]
    assert counts["responses"] == 1001  # and the resident's own, in progress
    assert counts["free_text_answers"] == 2000
    assert counts["response_weights"] == 200
    assert counts["analysis_texts"] == 200 and 0 < counts["theme_memberships"] <= 200
    assert counts["mayor_questions"] >= 400
    # The data lives only in the database it was given; a second build there is refused.
    again = subprocess.run(
        [sys.executable, "bench/scale_bench.py", "--responses", "300", "--database-url",
         empty_postgres, "--json", str(tmp_path / "again.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0 and "fresh one" in again.stderr


def test_requests_go_to_the_pool_the_load_balancer_would_send_them_to() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.scale_bench import Pools

    pools = Pools(8000, 8001)
    for path in ("/staff", "/staff/", "/staff/surveys/x/responses.csv", "/staff?next=1",
                 "/auth/sign-in", "/api/v1/surveys"):
        assert pools.port(path) == 8001, path
    for path in ("/", "/s/residents-2026/q/p1", "/ask-the-mayor/", "/healthz", "/staffing",
                 "/authors", "/apis"):
        assert pools.port(path) == 8000, path
    assert Pools(8000).port("/staff/") == 8000  # one pool serves everything
