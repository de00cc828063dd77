"""Consultation hub benchmark: /consultations with 500 public consultations (plus drafts),
each with topics and wards: server-side time per request (in-process test client, the whole
Flask request cycle with every hook) over a mix of plain, filtered, searched, deep and Bengali
pages; p50 and p95 per round, medians over rounds. Goal: p95 <= 50 ms.

Usage: python bench/consultations_bench.py [--rounds 3] [--requests 400] [--consultations 500]
       [--no-cache] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_hub]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "development")  # in-process, no hosts to check

ORGANISATIONS = ["Tower Hamlets Council", "Metropolitan Police", "NHS North East London",
                 "Tower Hamlets Council for Voluntary Service", "Tower Hamlets Homes"]
WORDS = ["libraries", "parking", "parks", "housing repairs", "street lighting", "schools",
         "air quality", "markets", "youth services", "recycling", "cycle lanes", "health"]


def _fresh(url: str | None, workdir: Path) -> str:
    if url is None:
        return f"sqlite:///{workdir / 'bench.sqlite'}"
    from sqlalchemy import create_engine, make_url, text

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


def seed(database_url: str, count: int) -> None:
    """Migrate, then add `count` public consultations and a tenth as many drafts."""
    from flask_migrate import upgrade

    from engage import create_app
    from engage.extensions import db
    from engage.models import Consultation, ConsultationWard, MayorTopic
    from engage.services.collect.mayor.queue import ensure_default_topics
    from surveys import default_wards

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "b" * 40})
    rng = random.Random(18)
    with app.app_context():
        upgrade()
        ensure_default_topics()
        topics = list(db.session.scalars(db.select(MayorTopic)))
        wards = [w.id for w in default_wards()]
        today = date.today()
        statuses = ["published", "closed", "results"]
        for n in range(count + count // 10):
            opens = today - timedelta(days=rng.randint(0, 700))
            word = rng.choice(WORDS)
            row = Consultation(
                slug=f"consultation-{n}", status=statuses[n % 3] if n < count else "draft",
                title_en=f"Have your say on {word} ({n})", title_bn=f"{word} নিয়ে মতামত ({n})",
                summary_en=f"We want to hear what you think about {word} in the borough. " * 3,
                organisation=rng.choice(ORGANISATIONS), opens_on=opens,
                closes_on=opens + timedelta(days=rng.randint(14, 120)))
            row.topics = rng.sample(topics, 2)
            row.wards = [ConsultationWard(ward=w) for w in rng.sample(wards, rng.randint(0, 3))]
            db.session.add(row)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()


def measure(database_url: str, requests: int, cached: bool = True,
            ) -> tuple[float, float, float, float]:
    """(p50, p95) in ms over a mix of list pages, in wall-clock time and in this process's CPU
    time (which a machine loaded by others does not inflate)."""
    from engage import create_app
    from engage.blueprints import caching

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "b" * 40})
    client = app.test_client()
    paths = ["/consultations", "/consultations?page=2", "/consultations?page=25",
             "/consultations?status=open", "/consultations?status=results&page=3",
             "/consultations?q=parking", "/consultations?q=street+lighting&status=closed",
             "/consultations?ward=poplar", "/consultations?topic=housing",
             "/consultations?organisation=Metropolitan+Police",
             "/consultations?ward=bow-east&topic=parks-environment&q=parks",
             "/consultations?lang=bn", "/consultations?lang=bn&page=4"]
    for path in paths:  # warm up templates and caches
        assert client.get(path).status_code == 200, path
    rng = random.Random(2)
    timings, cpu = [], []
    for _ in range(requests):
        path = rng.choice(paths)
        if not cached:  # every request renders, as right after a consultation changes
            caching.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    timings.sort()
    cpu.sort()
    at = int(len(timings) * 0.95) - 1
    return statistics.median(timings), timings[at], statistics.median(cpu), cpu[at]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--consultations", type=int, default=500)
    parser.add_argument("--database-url")
    parser.add_argument("--no-cache", action="store_true",
                        help="render every request (the cost when the page cache is cold)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = _fresh(args.database_url, Path(tmp))
        seed(url, args.consultations)
        print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
        rounds = []
        for n in range(args.rounds):
            rounds.append(measure(url, args.requests, cached=not args.no_cache))
            p50, p95, cpu50, cpu95 = rounds[-1]
            print(f"round {n + 1}: /consultations p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                  f"(CPU p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms), load {os.getloadavg()[0]:.1f}",
                  flush=True)
        p50, p95, cpu50, cpu95 = (statistics.median(r[i] for r in rounds) for i in range(4))
        print(f"median over {args.rounds} rounds: p50 {p50:.1f} ms, p95 {p95:.1f} ms; CPU p50 "
              f"{cpu50:.1f} ms, p95 {cpu95:.1f} ms ({args.consultations} consultations"
              f"{', no page cache' if args.no_cache else ''})")


if __name__ == "__main__":
    main()
