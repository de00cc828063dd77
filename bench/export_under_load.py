"""R5: a 20,000-row export during a resident submit load raises resident p99 by at most 20 %.

The production set-up on 127.0.0.1: gunicorn (production settings, rate limits off) with
REDIS_URL set, so the export job goes to the Redis queue, and one `flask jobs-worker` taking it.
A fresh database holds the demo survey with 20,000 sent responses and in-progress responses
ready to submit, each with its signed session cookie and CSRF token (bench/survey_prep.py).

An OPEN-LOOP load submits a fresh response at a fixed rate (--rate per second, on a schedule:
each latency counts from the request's scheduled time, so queueing shows). Rounds alternate:
baseline (residents only), then export (a signed-in analyst opens the surveys page once, then
starts the export job through the real route, polls its status every second until it has
finished, and starts the next, back to back). The median p99 of the export rounds over that
of the baseline rounds is the figure for R5.

    python bench/export_under_load.py --quick                  # ~45 s smoke run (CI)
    python bench/export_under_load.py                          # 3 + 3 rounds of 20 s, CSV
    python bench/export_under_load.py --worker-nice 0          # the jobs worker not niced
    python bench/export_under_load.py --format xlsx --db postgresql
    ... --write docs/benchmarks-load.md                        # append the report to a file

Exits 1 on a 5xx, a confirmation count different from the submitted rows added, or no export
finished; the p99 ratio against its goal (≤ 1.20) is reported, not enforced.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import cpu_seconds, free_port, machine, start, stop, wait_until_up  # noqa: E402
from bench.load_run import database  # noqa: E402
from bench.survey_bench import pct  # noqa: E402

GOAL = 1.20
STAFF_EMAIL = "r5-export-bench@example.org"
STAFF_PASSWORD = "r5-export-bench-password-" + secrets.token_hex(4)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JOB = re.compile(r"/staff/jobs/(\d+)$")
WARM_UP_SECONDS = 2.0


def build(env: dict[str, str], responses: int, unsent: int) -> tuple[str, list[tuple[str, str]]]:
    """Migrate, publish the demo survey with `responses` sent ones, an analyst who may export
    rows, and `unsent` responses ready to submit; the survey's slug and (cookie, token) pairs."""
    os.environ.update({k: env[k] for k in ("ENGAGE_ENV", "SECRET_KEY", "DATABASE_URL",
                                           "ENGAGE_INSECURE_COOKIES", "RATELIMIT_ENABLED",
                                           "BASE_URL", "TRUSTED_HOSTS")})
    from bench.survey_prep import prepare
    from engage import create_app
    from engage.extensions import db
    from engage.migrating import upgrade_once
    from engage.services.platform.accounts import create_user

    app = create_app()
    upgrade_once(app)
    prep = prepare(unsent, journeys=False, submitted=responses)
    with app.app_context():
        create_user(STAFF_EMAIL, "analyst", STAFF_PASSWORD, name="Export bench")
        db.engine.dispose()
    return str(prep["slug"]), list(prep["pairs"])


def export_jobs(env: dict[str, str]) -> list[dict[str, Any]]:
    """Every export job as the database recorded it: status, seconds queued and running, rows."""
    from sqlalchemy import create_engine, select

    from engage.models import Job

    engine = create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            found = conn.execute(select(Job.__table__).where(Job.kind == "insight_export")
                                 .order_by(Job.id)).mappings().all()
    finally:
        engine.dispose()
    return [{"status": job["status"], "rows": (job["result"] or {}).get("rows", 0),
             "queued": (job["started_at"] - job["created_at"]).total_seconds(),
             "running": (job["finished_at"] - job["started_at"]).total_seconds()}
            for job in found if job["started_at"] and job["finished_at"]]


def submitted_rows(env: dict[str, str]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM responses WHERE status = 'submitted'")).scalar_one())
    finally:
        engine.dispose()


@dataclass
class Round:
    kind: str  # "baseline" or "export"
    seconds: float
    latencies: list[float] = field(default_factory=list)  # from each scheduled send time
    sent: int = 0
    confirmed: int = 0
    other: int = 0  # answered, but not with the confirmation redirect
    errors_5xx: int = 0
    failed: int = 0  # no answer (connection error or time-out)
    elapsed: float = 0.0  # first scheduled send to last answer
    exports: list[float] = field(default_factory=list)  # seconds from start to finished
    exports_failed: int = 0


class OpenLoop:
    """Submits at a fixed rate from a pool of keep-alive connections, each request on its own
    prepared response; a late request's wait counts in its latency."""

    def __init__(self, port: int, slug: str, pairs: list[tuple[str, str]], rate: float,
                 connections: int) -> None:
        self.port, self.path, self.rate, self.connections = port, f"/s/{slug}/submit", rate, \
            connections
        self.pairs = iter(pairs)
        self.lock = threading.Lock()

    def run(self, into: Round) -> None:
        total = int(into.seconds * self.rate)
        begin = time.perf_counter() + 0.05
        counter = iter(range(total))
        last = [begin]

        def send() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            while True:
                with self.lock:
                    i = next(counter, None)
                    if i is None:
                        break
                    cookie, token = next(self.pairs)
                    into.sent += 1
                due = begin + i / self.rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                status, location = 0, ""
                try:
                    conn.request("POST", self.path, body=urllib.parse.urlencode(
                        {"csrf_token": token}), headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"engage_session={cookie}", "Accept-Encoding": "identity"})
                    response = conn.getresponse()
                    response.read()
                    status, location = response.status, response.getheader("Location") or ""
                except (OSError, http.client.HTTPException):
                    conn.close()
                done = time.perf_counter()
                with self.lock:
                    into.latencies.append(done - due)
                    last[0] = max(last[0], done)
                    if status == 303 and location.endswith("/done"):
                        into.confirmed += 1
                    elif status == 0:
                        into.failed += 1
                    else:
                        into.other += 1
                        into.errors_5xx += status >= 500
            conn.close()

        threads = [threading.Thread(target=send, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        into.elapsed = last[0] - begin


class Staff:
    """A signed-in analyst with a cookie jar of one cookie, exporting through the real routes."""

    def __init__(self, port: int, poll: float) -> None:
        self.port, self.poll = port, poll
        self.cookie = ""
        self.last_job = 0

    def request(self, method: str, path: str,
                form: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Cookie": self.cookie, "Accept-Encoding": "identity"}
            body = None
            if form is not None:
                body = urllib.parse.urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", data
        finally:
            conn.close()

    def token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        found = TOKEN.search(page.decode())
        if status != 200 or found is None:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token")
        return found.group(1)

    def sign_in(self) -> None:
        status, _, _ = self.request("POST", "/auth/sign-in", {
            "csrf_token": self.token("/auth/sign-in"), "email": STAFF_EMAIL,
            "password": STAFF_PASSWORD})
        if status != 303:
            raise RuntimeError(f"staff sign-in answered {status}")

    def export(self, slug: str, fmt: str, token: str, limit: float = 600) -> tuple[float, bool]:
        """Start one export job (the surveys page's form) and poll it; (seconds, succeeded)."""
        started = time.perf_counter()
        status, location, _ = self.request("POST", f"/staff/surveys/{slug}/export-job",
                                           {"csrf_token": token, "format": fmt})
        job = JOB.search(urllib.parse.urlsplit(location).path)
        if status != 303 or job is None:
            raise RuntimeError(f"starting the export answered {status} {location}")
        self.last_job = int(job.group(1))
        while time.perf_counter() - started < limit:
            time.sleep(self.poll)
            status, _, body = self.request("GET", f"/staff/jobs/{self.last_job}.json")
            state = json.loads(body) if status == 200 else {}
            if state.get("finished"):
                return time.perf_counter() - started, state.get("status") == "succeeded"
        return time.perf_counter() - started, False

    def export_until(self, slug: str, fmt: str, into: Round, deadline: float) -> None:
        """Open the surveys page once (its counts are an interactive read, not the job), then
        start exports back to back from its form until the deadline."""
        token = self.token("/staff/surveys")
        while time.perf_counter() < deadline:
            seconds, ok = self.export(slug, fmt, token)
            if ok:
                into.exports.append(seconds)
            else:
                into.exports_failed += 1


def start_worker(env: dict[str, str], log: Path, redis_url: str) -> subprocess.Popen[bytes]:
    """`flask jobs-worker` in its own session; returns once it has registered with Redis."""
    from redis import Redis

    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "engage",
                                 "jobs-worker"], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    redis = Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the jobs worker exited ({proc.returncode}):\n{log.read_text()}")
        if redis.scard("rq:workers"):
            return proc
        time.sleep(0.2)
    stop(proc)
    sys.exit(f"the jobs worker did not register within 60 s:\n{log.read_text()}")


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/13",
                    help="a Redis database of its own (not 0): flushed at start and end")
    ap.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    ap.add_argument("--responses", type=int, default=20_000, help="sent responses to export")
    ap.add_argument("--rate", type=float, default=100, help="resident submits per second")
    ap.add_argument("--connections", type=int, default=16, help="client connections")
    ap.add_argument("--rounds", type=int, default=3, help="baseline and export rounds each")
    ap.add_argument("--seconds", type=float, default=20, help="length of one round")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--poll", type=float, default=1.0,
                    help="seconds between status polls (the job page polls every second)")
    ap.add_argument("--worker-nice", type=int,
                    help="JOBS_WORKER_NICE for the jobs worker (default: the app's setting)")
    ap.add_argument("--quick", action="store_true", help="1 round each of 5 s: a smoke run")
    ap.add_argument("--write", type=Path, help="append the markdown report to this file")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 5.0
    if urllib.parse.urlsplit(args.redis_url).path in ("", "/", "/0"):
        sys.exit("use a Redis database of its own (not 0): it is flushed")
    from redis import Redis
    from redis.exceptions import RedisError

    redis = Redis.from_url(args.redis_url)
    try:
        redis.flushdb()
    except RedisError as exc:
        sys.exit(f"Redis at {args.redis_url} is not reachable: {exc}")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    unsent = int(args.rate * (args.seconds * 2 * args.rounds + WARM_UP_SECONDS)) + 100
    gunicorn = ["-w", str(args.workers), "-k", "sync"]
    rounds: list[Round] = []
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="engage-r5-") as tmp_name:
        tmp = Path(tmp_name)
        url, drop = database(args.db, tmp, args.pg_url)
        env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
               "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
               "DATABASE_URL": url, "RATELIMIT_ENABLED": "0", "REDIS_URL": args.redis_url,
               "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost",
               "RATELIMIT_STORAGE_URI": "memory://", "JOBS_MODE": "rq",
               "EXPORT_DIR": str(tmp / "exports")}
        if args.worker_nice is not None:
            env["JOBS_WORKER_NICE"] = str(args.worker_nice)
        for key in ("FLASK_DEBUG", "ENGAGE_DEBUG"):
            env.pop(key, None)
        procs: list[subprocess.Popen[bytes]] = []
        try:
            t0 = time.perf_counter()
            print(f"preparing {args.responses:,} sent and {unsent:,} unsent responses...",
                  file=sys.stderr)
            slug, pairs = build(env, args.responses, unsent)
            before = submitted_rows(env)
            setup = time.perf_counter() - t0
            port = free_port()
            log = tmp / "gunicorn.log"
            procs.append(start("engage:create_app()", port, gunicorn, env, log))
            wait_until_up(f"http://127.0.0.1:{port}/healthz", procs[0], log)
            procs.append(start_worker(env, tmp / "worker.log", args.redis_url))
            nice = {"gunicorn workers": sorted({niceness(p) for p in children(procs[0].pid)}),
                    "jobs worker": [niceness(procs[1].pid)]}
            staff = Staff(port, args.poll)
            staff.sign_in()
            load_gen = OpenLoop(port, slug, pairs, args.rate, args.connections)
            warm = Round("warm-up", WARM_UP_SECONDS)
            load_gen.run(warm)
            worker_cpu = 0.0
            for r in range(args.rounds):
                for kind in ("baseline", "export"):
                    this = Round(kind, args.seconds)
                    exporter = None
                    if kind == "export":
                        cpu_before = cpu_seconds(procs[1].pid)
                        exporter = threading.Thread(target=staff.export_until, args=(
                            slug, args.format, this, time.perf_counter() + args.seconds))
                        exporter.start()
                    load_gen.run(this)
                    if exporter is not None:
                        exporter.join()  # the last export finishes before the next round
                        worker_cpu += cpu_seconds(procs[1].pid) - cpu_before
                    rounds.append(this)
                    print(f"round {r + 1}/{args.rounds} {kind}: p99 "
                          f"{pct(this.latencies, 0.99):.1f} ms, {len(this.exports)} exports",
                          file=sys.stderr)
                    time.sleep(1)
            load_end = " ".join(f"{x:.1f}" for x in os.getloadavg())
            rows_added = submitted_rows(env) - before
            jobs = export_jobs(env)
            download = staff.request("GET", f"/staff/exports/{staff.last_job}/download")
        finally:
            for proc in reversed(procs):
                stop(proc)
            try:
                redis.flushdb()
            finally:
                drop()
    confirmed = warm.confirmed + sum(r.confirmed for r in rounds)
    lines = report(args, rounds, warm, confirmed, rows_added, nice, worker_cpu, download, jobs,
                   started, f"{load}; at the end {load_end}", setup, gunicorn)
    print("\n".join(lines))
    if args.write:
        with args.write.open("a") as out:
            out.write("\n".join(lines) + "\n\n")
    all_rounds = [warm, *rounds]
    exports = sum(len(r.exports) for r in rounds)
    failed = (any(r.errors_5xx or r.failed for r in all_rounds) or confirmed != rows_added
              or exports == 0 or any(r.exports_failed for r in rounds) or download[0] != 200
              or any(j["status"] != "succeeded" or j["rows"] < args.responses for j in jobs))
    return 1 if failed else 0


def report(args: argparse.Namespace, rounds: list[Round], warm: Round, confirmed: int,
           rows_added: int, nice: dict[str, list[int]], worker_cpu: float,
           download: tuple[int, str, bytes], jobs: list[dict[str, Any]], started: datetime,
           load: str, setup: float,
           gunicorn: list[str]) -> list[str]:
    command = "python bench/export_under_load.py " + " ".join(sys.argv[1:])
    fmt = args.format.upper()
    lines = [f"### R5: {args.responses:,}-row {fmt} export during {args.rate:g} submits/s "
             f"({args.db}), {started:%Y-%m-%d %H:%M} UTC", "",
             f"Command: `{command.strip()}`", "", *[f"- {m}" for m in machine(load)], "",
             "| round | kind | submits | achieved /s | p50 ms | p95 ms | p99 ms | 5xx | "
             "exports finished (s each) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for i, r in enumerate(rounds):
        exports = (f"{len(r.exports)} ({', '.join(f'{s:.1f}' for s in r.exports)})"
                   if r.kind == "export" else "")
        lines.append(f"| {i // 2 + 1} | {r.kind} | {r.sent:,} | "
                     f"{len(r.latencies) / max(r.elapsed, 1e-9):.1f} | "
                     f"{pct(r.latencies, 0.5):.1f} | {pct(r.latencies, 0.95):.1f} | "
                     f"{pct(r.latencies, 0.99):.1f} | {r.errors_5xx} | {exports} |")
    base = statistics.median(pct(r.latencies, 0.99) for r in rounds if r.kind == "baseline")
    busy = statistics.median(pct(r.latencies, 0.99) for r in rounds if r.kind == "export")
    ratio = busy / base if base else float("inf")
    durations = [s for r in rounds for s in r.exports]
    all_rounds = [warm, *rounds]
    sent = sum(r.sent for r in all_rounds)
    lines += [
        "",
        f"- **Resident p99, median of rounds: baseline {base:.1f} ms, during exports "
        f"{busy:.1f} ms: ratio {ratio:.2f}** (goal ≤ {GOAL:.2f}: "
        f"{'met' if ratio <= GOAL else 'NOT met'}).",
        f"- 5xx: {sum(r.errors_5xx for r in all_rounds)} of {sent:,} submits; other answers "
        f"than the confirmation: {sum(r.other for r in all_rounds)}; no answer: "
        f"{sum(r.failed for r in all_rounds)}.",
        f"- Confirmations {confirmed:,}; submitted rows added {rows_added:,} "
        f"({'equal' if confirmed == rows_added else 'MISMATCH'}; {warm.sent} of the submits "
        f"were a {WARM_UP_SECONDS:g} s warm-up).",
        f"- Exports: {len(durations)} finished"
        + (f", {statistics.median(durations):.1f} s median, {max(durations):.1f} s longest "
           f"(start to finished as the analyst saw it, polling every {args.poll:g} s)"
           if durations else "")
        + f"; failed: {sum(r.exports_failed for r in rounds)}; jobs worker CPU "
        f"{worker_cpu / max(len(durations), 1):.1f} s per export; the last file downloaded "
        f"with {download[0]} ({len(download[2]) / 1e6:.1f} MB).",
        f"- Export jobs in the database: {len(jobs)}, "
        f"{sum(j['status'] == 'succeeded' for j in jobs)} succeeded, "
        + (f"{min(j['rows'] for j in jobs):,}-{max(j['rows'] for j in jobs):,} rows each "
           "(the sent responses so far, growing with the residents' submits)" if jobs else "")
        + (f"; running {statistics.median(j['running'] for j in jobs):.1f} s median "
           f"({max(j['running'] for j in jobs):.1f} s longest), queued "
           f"{max(j['queued'] for j in jobs):.2f} s at most" if jobs else "") + ".",
        f"- Niceness: gunicorn workers {nice['gunicorn workers']}, jobs worker "
        f"{nice['jobs worker']}.",
        f"- Set-up: gunicorn {' '.join(gunicorn)} (production settings, rate limits off) and "
        f"one `flask jobs-worker` on Redis {args.redis_url}; open loop at {args.rate:g} "
        f"submits/s over {args.connections} connections, latency from each scheduled send; "
        f"{args.rounds} baseline and {args.rounds} export rounds of {args.seconds:g} s, "
        f"interleaved; database prepared in {setup:.0f} s.",
    ]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
