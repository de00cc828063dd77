"""The public plan tracker (/plan) and its open data (/api/v1/plan) with a big plan: 10
priorities × 10 actions × 3 indicators (one set per action) × 20 updates, i.e. 300 charts and
6,000 updates. Server-side time per request through the in-process test client (gzip accepted,
as browsers do), after one warm-up request per language; p50/p95 over the requests, and the
first (uncached) render on its own.

    python bench/plan_bench.py [--requests 400] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")

PRIORITIES, ACTIONS, INDICATORS, UPDATES = 10, 10, 3, 20
OWNERS = ["Tower Hamlets Council", "Metropolitan Police", "NHS North East London",
          "Tower Hamlets Council for Voluntary Service"]
STATUSES = ["not_started", "on_track", "at_risk", "delayed", "done"]


def build(url: str) -> None:
    """Migrate and insert the plan directly (the services' audit rows are not what is measured)."""
    from engage.extensions import db
    from engage.models import (
        Plan,
        PlanAction,
        PlanIndicator,
        PlanOutcome,
        PlanPriority,
        PlanUpdate,
    )
    from tests.conftest import make_app, migrate

    migrate(url)
    app = make_app(url, RATELIMIT_ENABLED=False)
    with app.app_context():
        plan = Plan(title="Bench plan 2023-2028", start_year=2023, end_year=2028, published=True,
                    summary="A plan as big as the issue asks for.")
        db.session.add(plan)
        db.session.flush()
        base = date(2023, 4, 1)
        for p in range(PRIORITIES):
            priority = PlanPriority(plan_id=plan.id, title=f"Priority {p + 1}: homes and health",
                                    description="What residents raised most.", position=p,
                                    why="Raised in every ward.")
            db.session.add(priority)
            db.session.flush()
            db.session.add(PlanOutcome(priority_id=priority.id, title="Residents get help"))
            for a in range(ACTIONS):
                action = PlanAction(priority_id=priority.id, title=f"Action {a + 1} of {p + 1}",
                                    owner=OWNERS[(p + a) % len(OWNERS)], lead_name="Lead",
                                    due_on=date(2027, 3, 31), status=STATUSES[a % 5],
                                    position=a)
                db.session.add(action)
                db.session.flush()
                for i in range(INDICATORS):
                    indicator = PlanIndicator(
                        priority_id=priority.id, action_id=action.id, owner=action.owner,
                        name=f"Indicator {i + 1} of action {a + 1}", unit="% of residents",
                        baseline_value=40.0, baseline_on=base, target_value=70.0 - i * 5,
                        target_on=date(2028, 3, 31), direction="higher" if i != 1 else "lower",
                        frequency="monthly")
                    db.session.add(indicator)
                    db.session.flush()
                    db.session.add_all(PlanUpdate(
                        indicator_id=indicator.id, value=40.0 + u * (0.8 + 0.1 * i),
                        measured_on=base + timedelta(days=30 * (u + 1)),
                        note="Monthly figure", by_organisation=action.owner)
                        for u in range(UPDATES))
        db.session.commit()


def measure(url: str, requests: int) -> dict[str, object]:
    """Per-request milliseconds for /plan (en and bn) and /api/v1/plan."""
    from tests.conftest import make_app

    app = make_app(url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    out: dict[str, object] = {}
    start = time.perf_counter()
    first = client.get("/plan?lang=en", headers=headers)
    out["first render ms"] = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, first.status_code
    out["page bytes (gzip)"] = len(first.data)
    out["page bytes (html)"] = len(client.get("/plan?lang=en").data)
    client.get("/plan?lang=bn", headers=headers)
    for name, path in [("/plan en", "/plan?lang=en"), ("/plan bn", "/plan?lang=bn"),
                       ("/api/v1/plan", "/api/v1/plan")]:
        times = []
        for _ in range(requests if path.startswith("/plan") else max(20, requests // 10)):
            t0 = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        out[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    out["render after one new update ms"] = _after_update(app, client, headers)
    return out


def _after_update(app, client, headers) -> float:  # type: ignore[no-untyped-def]
    """One update recorded: the page is rendered again, reusing the other 299 charts."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import Plan, PlanIndicator, PlanUpdate
    from engage.models._types import utcnow

    with app.app_context():
        indicator = db.session.scalars(select(PlanIndicator).limit(1)).one()
        db.session.add(PlanUpdate(indicator_id=indicator.id, value=55.0,
                                  measured_on=date(2025, 6, 1), note="New"))
        db.session.scalars(select(Plan)).one().changed_at = utcnow()
        db.session.commit()
    t0 = time.perf_counter()
    assert client.get("/plan?lang=en", headers=headers).status_code == 200
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/plan.sqlite"
        if args.database_url:
            from bench.mayor_bench import _fresh_database

            _fresh_database(url, Path(folder))
        t0 = time.perf_counter()
        build(url)
        print(f"set-up {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f}")
        for name, value in measure(url, args.requests).items():
            if isinstance(value, tuple):
                print(f"{name}: p50 {value[0]:.1f} ms, p95 {value[1]:.1f} ms")
            else:
                print(f"{name}: {value:.1f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
