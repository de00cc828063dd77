"""A theme run over 50,000 to 200,000 texts as a background job (issue 21: within 5 minutes on
this machine's cores, with progress, without holding a long transaction).

    nice -n 19 python bench/theme_run_scale.py --texts 50000 [--database-url URL] [--write OUT]

Texts: short public texts from ../shared/data (UK petition titles, banking questions, search
snippets, tweets, Stack Overflow titles; read from there, never copied into the repository),
each text once; past the ~95,000 distinct texts there, two different texts joined make one
longer answer, so every text is still distinct. They are stored as survey free-text answers
of one question (one response each) in bulk, not timed; the demo survey (200 responses) gives
the survey, its versions and demographics. The run: all texts of that question, themes "auto",
the in-process job worker (JOBS_MODE=thread), THEMES_N_JOBS=2, from the start request to the
run's results being stored, with the job's progress timeline.

While the run goes on, a probe measures what residents would feel:

- SQLite: every 0.2 s another connection takes the write lock (BEGIN IMMEDIATE) and lets it go:
  the longest wait is how long an answer being saved would have waited for the run.
- PostgreSQL: every 0.2 s the oldest open transaction of another connection to the database
  (pg_stat_activity.xact_start): the longest is the longest transaction the run held open.

Without --database-url a fresh SQLite file in a temporary folder is used; a PostgreSQL URL must
name an empty database (the script migrates it and leaves it; drop it afterwards).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")
os.environ.pop("REDIS_URL", None)
DATA = ROOT.parent.parent / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
SETS = ["uk_petitions_titles", "banking77", "searchsnippets", "tweet", "stackoverflow"]
QUESTION = "bench_comment"


def text_pool() -> list[str]:
    """Distinct texts from the shared data sets, in a fixed order."""
    seen: set[str] = set()
    pool: list[str] = []
    for name in SETS:
        with (DATA / name / "data.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = " ".join((row.get("text") or "").split())
                if text and text.lower() not in seen:
                    seen.add(text.lower())
                    pool.append(text)
    return pool


def texts_for(n: int) -> list[str]:
    """n distinct texts: the pool first, then pairs of different pool texts."""
    pool = text_pool()
    out = pool[:n]
    i = 0
    while len(out) < n:
        a, b = pool[i % len(pool)], pool[(i * 7919 + 13) % len(pool)]
        if a != b:
            out.append(f"{a}. {b}")
        i += 1
    return out


def load_texts(n: int) -> tuple[int, int]:
    """Store n free-text answers (one response each); the survey id and how long it took."""
    from sqlalchemy import func, insert, select

    from engage.demo import surveys as demo_surveys
    from engage.extensions import db
    from engage.models import FreeTextAnswer, Response
    from engage.models._types import utcnow

    t0 = time.perf_counter()
    for _line in demo_surveys.load(target=200, seed=11):
        pass
    templates = list(db.session.execute(
        select(Response.survey_id, Response.survey_version_id, Response.channel,
               Response.language, Response.answers)
        .where(Response.status == "submitted").order_by(Response.id)))
    next_id = int(db.session.scalar(select(func.max(Response.id))) or 0) + 1
    now = utcnow()
    texts = texts_for(n)
    for first in range(0, n, 10000):
        responses, answers = [], []
        for k in range(first, min(n, first + 10000)):
            survey_id, version_id, _channel, language, given = templates[k % len(templates)]
            channel = "online"  # the paper and assisted channels need sheets and consent
            at = now - timedelta(minutes=k)
            responses.append({"id": next_id + k, "survey_id": survey_id,
                              "survey_version_id": version_id, "status": "submitted",
                              "reference": f"B{k:08d}", "channel": channel,
                              "language": language, "answers": given,
                              "started_at": at, "updated_at": at, "submitted_at": at})
            answers.append({"response_id": next_id + k, "survey_id": survey_id,
                            "survey_version_id": version_id, "question_id": QUESTION,
                            "text": texts[k], "language": language, "channel": channel,
                            "submitted_at": at})
        db.session.execute(insert(Response), responses)
        db.session.execute(insert(FreeTextAnswer), answers)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("SELECT setval(pg_get_serial_sequence('responses', 'id'), "
                                "(SELECT max(id) FROM responses))"))
        db.session.commit()
    return int(templates[0][0]), round(time.perf_counter() - t0)


class Probe(threading.Thread):
    """Measures, every 0.2 s, the write-lock wait (SQLite) or the oldest other transaction (PG)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.worst = 0.0
        self.samples = 0

    def run(self) -> None:
        if self.url.startswith("sqlite"):
            conn = sqlite3.connect(self.url.split("///", 1)[1], timeout=600,
                                   isolation_level=None)
            while not self.stop.wait(0.2):
                t0 = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                self.worst = max(self.worst, time.perf_counter() - t0)
                self.samples += 1
            conn.close()
            return
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            while not self.stop.wait(0.2):
                age = conn.scalar(text(
                    "SELECT coalesce(max(extract(epoch FROM now() - xact_start)), 0) "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"))
                self.worst = max(self.worst, float(age or 0.0))
                self.samples += 1
        engine.dispose()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _wait(run_id: int, timeout: float = 3600) -> tuple[float, list[tuple[float, int, str]]]:
    from engage.extensions import db
    from engage.models import Job, ThemeRun

    start = time.perf_counter()
    seen: list[tuple[float, int, str]] = []
    while time.perf_counter() - start < timeout:
        run = db.session.get(ThemeRun, run_id)
        job = db.session.get(Job, run.job_id)
        if not seen or seen[-1][1:] != (job.progress, job.message):
            seen.append((time.perf_counter() - start, job.progress, job.message))
        status = run.status
        db.session.commit()  # ends this read: the poller holds no transaction between polls
        if status in ("succeeded", "failed"):
            return time.perf_counter() - start, seen
        time.sleep(0.2)
    raise TimeoutError("run did not finish")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--write", default="", help="append the figures as JSON lines here")
    args = parser.parse_args()

    from engage import create_app
    from tests.conftest import TEST_SECRET, migrate

    url = args.database_url or (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='theme-scale-')) / 'engage.sqlite'}")
    migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": TEST_SECRET,
                      "RATELIMIT_ENABLED": False, "JOBS_MODE": "thread", "THEMES_N_JOBS": 2,
                      "SERVER_NAME": None, "PREFERRED_URL_SCHEME": "http",
                      "PASSWORD_HASH_PROFILE": "cheap"})
    with app.app_context():
        from sqlalchemy import func, select

        from engage.extensions import db
        from engage.models import Theme
        from engage.services.code.themes import runs, sources
        from engage.services.platform.accounts import create_user

        survey_id, setup_s = load_texts(args.texts)
        print(f"setup: {args.texts} texts stored in {setup_s} s (not timed)", flush=True)
        user = create_user("bench@example.org", "analyst", "a-long-bench-password-123")
        load = os.getloadavg()[0]
        probe = Probe(url)
        probe.start()
        t0 = time.perf_counter()
        cpu0 = _cpu()
        run = runs.start_run(user, [f"survey:{survey_id}:{QUESTION}"], sources.Filters())
        queued = time.perf_counter() - t0
        elapsed, timeline = _wait(run.id)
        cpu = _cpu() - cpu0
        probe.stop.set()
        probe.join()
        run = runs.get_run(run.id)
        themes = db.session.scalar(select(func.count()).select_from(Theme)
                                   .where(Theme.run_id == run.id))
        figures: dict[str, Any] = {
            "texts": run.text_count, "status": run.status, "error": run.error,
            "themes": themes, "vectors": (run.changes or {}).get("vectors"),
            "database": db.engine.dialect.name, "run_s": round(elapsed + queued, 1),
            "cpu_s": round(cpu, 1), "max_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "probe": "write lock wait" if url.startswith("sqlite") else "oldest transaction",
            "probe_worst_s": round(probe.worst, 2), "probe_samples": probe.samples,
            "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1),
            "timeline": [(round(at + queued, 1), p, m) for at, p, m in timeline]}
    print(json.dumps({k: v for k, v in figures.items() if k != "timeline"}), flush=True)
    for at, p, m in figures["timeline"]:
        print(f"  {at:7.1f} s  {p:3d}%  {m}", flush=True)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
