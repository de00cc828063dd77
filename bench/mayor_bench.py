"""Ask the Mayor benchmark.

(a) Question submissions per second, CSRF checked, against gunicorn on 127.0.0.1 with a
    production-like environment (ENGAGE_ENV=production, a 40-character SECRET_KEY,
    ENGAGE_INSECURE_COOKIES=1 for plain http, RATELIMIT_ENABLED=0 for the benchmark only).
    Each client thread gets the form once (session cookie and CSRF token), then posts
    questions until the count or the time bound is reached. Loopback only.
(b) The published-answers page with 10,000 published questions: server-side render time
    (in-process test client) over a mix of plain, filtered, searched and deep pages; p50/p95.

Usage: python bench/mayor_bench.py [--rounds 3] [--count 1500] [--seconds 20] [--threads 8]
       [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_mayor]
Prints one line per round and the medians.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(ROOT), "ENGAGE_ENV": "production",
        "SECRET_KEY": secrets.token_hex(20), "ENGAGE_INSECURE_COOKIES": "1",
        "RATELIMIT_ENABLED": "0", "DATABASE_URL": database_url,
    })
    env.pop("FLASK_DEBUG", None)
    return env


def _fresh_database(url: str | None, workdir: Path) -> str:
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


def _migrate(database_url: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "engage", "db", "upgrade"], cwd=ROOT,
                   env=_env(database_url), check=True, capture_output=True)


def _client(base: str, stop: threading.Event, counter: list[int], errors: list[int],
            limit: int, lock: threading.Lock) -> None:
    session = requests.Session()
    page = session.get(f"{base}/ask-the-mayor", timeout=10).text
    match = TOKEN.search(page)
    assert match, "no CSRF token on the form"
    token = match.group(1) or match.group(2)
    topic = re.search(r'name="topic" type="radio" value="(\d+)"', page)
    topic_id = topic.group(1) if topic else "1"
    rng = random.Random()
    while not stop.is_set():
        with lock:
            if counter[0] + errors[0] >= limit:
                stop.set()
                break
        data = {"csrf_token": token, "question": f"Benchmark question {rng.random()} about "
                "the bins on Roman Road and the lifts in our block?", "topic": topic_id,
                "ward": "bow-east", "postcode": "", "consent": "yes", "name": "",
                "email": "", "phone": "", "website": ""}
        response = session.post(f"{base}/ask-the-mayor", data=data, allow_redirects=False,
                                timeout=30)
        with lock:
            if response.status_code == 303:
                counter[0] += 1
            else:
                errors[0] += 1


def submissions(database_url: str, count: int, seconds: float, threads: int) -> tuple[float, int]:
    """Submissions/s against gunicorn with 2 workers; returns (rate, errors)."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "engage:create_app()"],
        cwd=ROOT, env=_env(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        stop, lock = threading.Event(), threading.Lock()
        counter, errors = [0], [0]
        workers = [threading.Thread(target=_client, args=(base, stop, counter, errors, count,
                                                          lock)) for _ in range(threads)]
        started = time.perf_counter()
        for w in workers:
            w.start()
        stop.wait(seconds)
        stop.set()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - started
        return counter[0] / elapsed, errors[0]
    finally:
        server.terminate()
        server.wait(10)


def seed_published(database_url: str, n: int) -> None:
    """Insert n published questions with answers, spread over topics, wards and sessions."""
    os.environ.update(_env(database_url))
    os.environ["ENGAGE_ENV"] = "development"
    from sqlalchemy import insert, select

    from engage import create_app
    from engage.extensions import db
    from engage.models import MayorQuestion, MayorSearchTerm, MayorSession, MayorTopic
    from engage.models._types import utcnow
    from engage.services.collect.mayor import search
    from engage.services.platform.references import new_reference
    from surveys import default_wards

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    rng = random.Random(1)
    # A Zipf-like vocabulary of 3,000 words plus common topic words, so a searched word
    # matches a realistic share of questions (as in real text, not every one).
    base = ["bins", "lifts", "parking", "housing", "police", "park", "school", "market",
            "buses", "noise", "damp", "repairs", "rent", "benefits", "crossing", "trees",
            "library", "youth", "clinic", "streets"]
    vocab = base + [f"w{n}x" for n in range(3000)]
    weights = [1 / (rank + 10) for rank in range(len(vocab))]
    with app.app_context():
        topics = list(db.session.scalars(select(MayorTopic.id)))
        wards = [w.id for w in default_wards()]
        now = utcnow()
        sessions = []
        for k in range(4):
            s = MayorSession(title=f"Session {k}", place="Town hall", state="published",
                             starts_at=now.replace(year=now.year - 1, month=k + 1))
            db.session.add(s)
            sessions.append(s)
        db.session.flush()
        refs: set[str] = set()
        rows = []
        for i in range(n):
            ref = new_reference()
            while ref in refs:
                ref = new_reference()
            refs.add(ref)
            when = now.replace(microsecond=0) - __import__("datetime").timedelta(minutes=i * 7)
            text = "Why " + " ".join(rng.choices(vocab, weights, k=18)) + "?"
            answer = "Thank you. " + " ".join(rng.choices(vocab, weights, k=60))
            rows.append({
                "reference": ref, "text": text, "public_text": "", "topic_id": rng.choice(topics),
                "ward": rng.choice(wards), "postcode": "", "consent_publish": True,
                "contact_name": "", "contact_email": "", "contact_phone": "", "language": "en",
                "channel": "online", "event": "", "status": "published", "reject_reason": "",
                "reject_note": "", "assigned_org": "", "answered_at": when,
                "answer_text": answer,
                "published_at": when, "support_count": rng.randint(0, 50),
                "session_id": sessions[i % 4].id if i % 10 == 0 else None,
                "created_at": when, "updated_at": when,
            })
        db.session.execute(insert(MayorQuestion), rows)
        terms = []
        for qid, text, answer in db.session.execute(select(
                MayorQuestion.id, MayorQuestion.text, MayorQuestion.answer_text)):
            terms.extend(search.index_rows(qid, text, answer))
        db.session.execute(insert(MayorSearchTerm), terms)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()


def answers_page(database_url: str, requests_per_round: int) -> tuple[float, float]:
    """(p50, p95) in ms of the published-answers page with the seeded data."""
    from sqlalchemy import select

    from engage import create_app
    from engage.extensions import db
    from engage.models import MayorSession, MayorTopic

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        slugs = list(db.session.scalars(select(MayorTopic.slug)))
        session_ids = list(db.session.scalars(select(MayorSession.id)))
    client = app.test_client()
    rng = random.Random(2)
    paths = ["/ask-the-mayor/answers", "/ask-the-mayor/answers?page=2",
             "/ask-the-mayor/answers?page=400", "/ask-the-mayor/answers?q=parking",
             "/ask-the-mayor/answers?q=damp+repairs", "/ask-the-mayor/answers?q=w1x",
             "/ask-the-mayor/answers?ward=poplar", "/ask-the-mayor/answers?lang=bn"]
    paths += [f"/ask-the-mayor/answers?topic={s}" for s in slugs[:3]]
    paths += [f"/ask-the-mayor/answers?session={i}" for i in session_ids[:2]]
    for path in paths:  # warm up templates and caches
        assert client.get(path).status_code == 200
    timings = []
    for _ in range(requests_per_round):
        path = rng.choice(paths)
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=1500, help="max submissions per round")
    parser.add_argument("--seconds", type=float, default=20, help="max seconds per round")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--published", type=int, default=10_000)
    parser.add_argument("--page-requests", type=int, default=300)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of a scratch database (dropped and recreated)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mayor-bench-"))
    try:
        url = _fresh_database(args.database_url, workdir)
        _migrate(url)
        rates = []
        for n in range(args.rounds):
            rate, errors = submissions(url, args.count, args.seconds, args.threads)
            rates.append(rate)
            print(f"round {n + 1}: {rate:.1f} submissions/s ({errors} errors)", flush=True)
        url = _fresh_database(args.database_url, workdir / "pages") if args.database_url \
            else f"sqlite:///{workdir / 'pages.sqlite'}"
        _migrate(url)
        seed_published(url, args.published)
        p50s, p95s = [], []
        for n in range(args.rounds):
            p50, p95 = answers_page(url, args.page_requests)
            p50s.append(p50)
            p95s.append(p95)
            print(f"round {n + 1}: answers page p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        print(f"median submissions/s: {statistics.median(rates):.1f}")
        print(f"median answers page p50: {statistics.median(p50s):.1f} ms, "
              f"p95: {statistics.median(p95s):.1f} ms (with {args.published} published)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
