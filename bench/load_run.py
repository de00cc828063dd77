"""Load, stress and soak runs of the locust journeys (bench/load_journey.py) against gunicorn
on 127.0.0.1, on SQLite or PostgreSQL (issue 9, R8).

    python bench/load_run.py --quick                        # ~20 s smoke run (CI)
    python bench/load_run.py --db sqlite --users 20 --seconds 120
    python bench/load_run.py --db postgresql --users 20 --seconds 120
    python bench/load_run.py --step --step-users 5 --step-seconds 30 --max-users 60
    python bench/load_run.py --soak --seconds 900 --users 15   # memory sampled per worker
    ... --write docs/benchmarks-load.md                     # append the table to a file

Reports p50/p95/p99, requests/s and 5xx per request kind, and checks every confirmation the
residents were shown against database rows. Exits 1 on a mismatch, a 5xx rate of 0.1 % or
more, or (soak) a worker whose memory grew by more than --max-growth-mb.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import free_port, start, stop, wait_until_up  # noqa: E402

STAFF_PASSWORD = "load-test-staff-password-" + secrets.token_hex(4)
STAFF = [f"load-staff-{i}@example.org" for i in range(6)]


def database(kind: str, tmp: Path, pg_base: str) -> tuple[str, Any]:
    """A fresh database URL and a function that removes it."""
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'load.sqlite'}", lambda: None
    from sqlalchemy import create_engine, make_url, text

    name = f"engage_load_{os.getpid()}"
    admin = create_engine(pg_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(pg_base).set(database=name).render_as_string(hide_password=False), drop


def _app(env: dict[str, str]) -> Any:
    os.environ.update({k: env[k] for k in ("ENGAGE_ENV", "SECRET_KEY", "DATABASE_URL",
                                           "ENGAGE_INSECURE_COOKIES", "RATELIMIT_ENABLED",
                                           "BASE_URL", "TRUSTED_HOSTS")})
    from engage import create_app

    return create_app()


def prepare(env: dict[str, str]) -> None:
    """Migrate (once, under the lock), publish the demo survey, staff accounts, topics."""
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition
    from engage.extensions import db
    from engage.migrating import upgrade_once
    from engage.services.collect.mayor.queue import ensure_default_topics
    from engage.services.collect.published_surveys import publish_definition
    from engage.services.platform.accounts import create_user

    app = _app(env)
    upgrade_once(app)
    with app.app_context():
        publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        ensure_default_topics()
        for email in STAFF:
            create_user(email, "admin", STAFF_PASSWORD, name=email.split("@")[0])
        db.engine.dispose()


def rows(env: dict[str, str], references: list[str]) -> dict[str, int]:
    """Submitted rows, confirmations without a row, and Ask the Mayor rows."""
    from sqlalchemy import func, select

    from engage.extensions import db
    from engage.models import MayorQuestion, Response

    app = _app(env)
    with app.app_context():
        stored = set(db.session.scalars(select(Response.reference).where(
            Response.status == "submitted")).all())
        found = {"submitted": len(stored), "missing": len([r for r in references
                                                           if r not in stored]),
                 "mayor": db.session.scalar(select(func.count(MayorQuestion.id))) or 0}
        db.engine.dispose()
    return found


def workers(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(found)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample_memory(master: int, every: float, stop_event: threading.Event,
                  samples: list[tuple[float, dict[int, float]]]) -> None:
    started = time.monotonic()
    while not stop_event.wait(every):
        samples.append((time.monotonic() - started, {p: rss_mb(p) for p in workers(master)}))


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open() as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--spawn-rate", type=float, default=5)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--quick", action="store_true", help="8 users for 20 s: the CI smoke run")
    ap.add_argument("--step", action="store_true", help="stepped stress run to find the knee")
    ap.add_argument("--step-users", type=int, default=5)
    ap.add_argument("--step-seconds", type=int, default=30)
    ap.add_argument("--max-users", type=int, default=60)
    ap.add_argument("--soak", action="store_true", help="sample memory per worker throughout")
    ap.add_argument("--sample-every", type=float, default=10.0)
    ap.add_argument("--max-growth-mb", type=float, default=30.0)
    ap.add_argument("--write", type=Path, help="append the markdown report to this file")
    args = ap.parse_args()
    if args.quick:
        args.users, args.spawn_rate, args.seconds = 8, 4, 20
    load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="engage-load-") as tmp_name:
        tmp = Path(tmp_name)
        url, drop = database(args.db, tmp, args.pg_url)
        env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
               "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
               "DATABASE_URL": url, "RATELIMIT_ENABLED": "0",
               "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost"}
        for key in ("FLASK_DEBUG", "ENGAGE_DEBUG", "REDIS_URL"):
            env.pop(key, None)
        try:
            prepare(env)
            port = free_port()
            log = tmp / "gunicorn.log"
            gunicorn = ["-w", str(args.workers), "-k", "sync", "--preload"]
            proc = start("engage:create_app()", port, gunicorn, env, log)
            samples: list[tuple[float, dict[int, float]]] = []
            stop_sampling = threading.Event()
            try:
                wait_until_up(f"http://127.0.0.1:{port}/healthz", proc, log)
                sampler = threading.Thread(target=sample_memory, args=(
                    proc.pid, args.sample_every if args.soak else 5.0, stop_sampling, samples))
                sampler.start()
                result_file = tmp / "result.json"
                locust_env = {**env, "LOAD_RESULT_FILE": str(result_file),
                              "LOAD_STAFF": ",".join(STAFF), "LOAD_STAFF_PASSWORD": STAFF_PASSWORD}
                command = [sys.executable, "-m", "locust", "-f",
                           str(REPO / "bench/load_journey.py"), "--headless",
                           "--host", f"http://127.0.0.1:{port}", "--only-summary",
                           "--csv", str(tmp / "locust"), "--loglevel", "WARNING"]
                if args.step:
                    locust_env.update(LOAD_SHAPE="step", LOAD_STEP_USERS=str(args.step_users),
                                      LOAD_STEP_SECONDS=str(args.step_seconds),
                                      LOAD_MAX_USERS=str(args.max_users))
                    limit = args.step_seconds * (args.max_users // args.step_users + 1)
                    command += ["--csv-full-history"]
                else:
                    limit = args.seconds
                    command += ["-u", str(args.users), "-r", str(args.spawn_rate),
                                "-t", f"{args.seconds}s"]
                started = datetime.now(UTC)
                subprocess.run(command, cwd=REPO, env=locust_env, timeout=limit + 120,
                               capture_output=True, text=True)
                time.sleep(1)  # requests still in flight finish on the server
            finally:
                stop_sampling.set()
                stop(proc)
            stats = read_stats(tmp / "locust")
            results = json.loads(result_file.read_text())
            stored = rows(env, results["survey_references"])
            history = (list(csv.DictReader((tmp / "locust_stats_history.csv").open()))
                       if args.step else [])
        finally:
            drop()
    lines = report(args, stats, results, stored, samples, history, started, load_at_start)
    print("\n".join(lines))
    if args.write:
        with args.write.open("a") as out:
            out.write("\n".join(lines) + "\n\n")
    total = next(s for s in stats if s["Name"] == "Aggregated")
    requests = int(total["Request Count"]) or 1
    growth = memory_growth(samples)
    failed = (stored["missing"] > 0 or results["status_5xx"] / requests >= 0.001
              or (args.soak and growth and max(growth.values()) > args.max_growth_mb))
    return 1 if failed else 0


def memory_growth(samples: list[tuple[float, dict[int, float]]]) -> dict[int, float]:
    """Per worker: last sample minus the first after warm-up (a quarter of the run)."""
    if len(samples) < 4:
        return {}
    warm = samples[len(samples) // 4][1]
    last = samples[-1][1]
    return {pid: last[pid] - warm[pid] for pid in last if pid in warm}


def memory_shape(samples: list[tuple[float, dict[int, float]]]) -> str:
    """RSS per worker at each eighth of the run: still rising at the end, or levelling off?"""
    if len(samples) < 8:
        return ""
    workers_seen = sorted(samples[-1][1])
    marks = [samples[len(samples) * q // 8 - 1] for q in range(1, 9)]
    return "; ".join(f"{t:.0f} s: " + ", ".join(f"{mem.get(p, 0):.0f}" for p in workers_seen)
                     for t, mem in marks)


def report(args: argparse.Namespace, stats: list[dict[str, str]], results: dict[str, Any],
           stored: dict[str, int], samples: list[tuple[float, dict[int, float]]],
           history: list[dict[str, str]], started: datetime, load: str) -> list[str]:
    kind = "stepped" if args.step else ("soak" if args.soak else "load")
    command = "python bench/load_run.py " + " ".join(sys.argv[1:])
    lines = [f"### {args.db}: {kind} run, {started:%Y-%m-%d %H:%M} UTC", "",
             f"Command: `{command.strip()}`; load average at start {load}.", "",
             "| request | count | req/s | p50 ms | p95 ms | p99 ms | failures |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in stats:
        lines.append(f"| {s['Name']} {s['Type'] if s['Name'] != 'Aggregated' else ''} | "
                     f"{int(s['Request Count']):,} | {float(s['Requests/s']):.1f} | "
                     f"{s['50%']} | {s['95%']} | {s['99%']} | {s['Failure Count']} |")
    references = results["survey_references"]
    lines += ["", f"- 5xx responses: {results['status_5xx']}.",
              f"- Survey confirmations shown: {len(references)}; submitted rows: "
              f"{stored['submitted']}; confirmations without a row: {stored['missing']}.",
              f"- Ask the Mayor confirmations: {results['mayor_confirmations']}; question rows: "
              f"{stored['mayor']}.",
              f"- Staff exports: {results['exports']} ({results['export_rows']:,} rows in all)."]
    if samples:
        first, last = samples[0][1], samples[-1][1]
        per = ", ".join(f"{first.get(p, 0):.0f}→{last[p]:.0f}" for p in sorted(last))
        growth = memory_growth(samples)
        lines.append(f"- Worker memory (RSS MB, first→last of {len(samples)} samples): {per}"
                     + (f"; growth after warm-up: "
                        f"{', '.join(f'{g:+.1f}' for g in growth.values())} MB" if growth else ""))
        shape = memory_shape(samples)
        if shape:
            lines.append(f"- Worker memory by eighths of the run (RSS MB per worker): {shape}")
    if history:
        lines += ["", "| users | req/s | p50 ms | p95 ms | p99 ms | failures/s |",
                  "|---:|---:|---:|---:|---:|---:|"]
        seen: dict[str, dict[str, str]] = {}
        for row in history:
            if row["Name"] == "Aggregated" and row["User Count"] != "0":
                seen[row["User Count"]] = row  # the last line at each user count
        for users, row in seen.items():
            lines.append(f"| {users} | {float(row['Requests/s']):.1f} | {row['50%']} | "
                         f"{row['95%']} | {row['99%']} | {float(row['Failures/s']):.2f} |")
    cpu = next((ln.split(":", 1)[1].strip() for ln in
                Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")), "")
    lines += [f"- gunicorn -w {args.workers} -k sync --preload; locust in one process on the "
              f"same machine; {os.cpu_count()} cores ({cpu}); Python {sys.version.split()[0]}."]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
