"""Issue 15: the outside probe, repeatable from the repository.

Production settings under gunicorn on 127.0.0.1 (loopback only), on a fresh database holding the
demo survey, one account per staff role, an Ask the Mayor question assigned to one officer and a
session (tests/stress/world.py). Then hostile requests, spread over every route and method of
`app.url_map`, as anonymous visitors and as every role signed in, each with a valid CSRF token so
that it reaches the view:

- NUL bytes in the path, the query string and every form field;
- out-of-range numbers in every `<int:...>` path argument and in number-like query arguments;
- absurd dates (year 99999, 0, -1, 1e9) in every date field;
- SQL injection and XSS strings in every query and form field a page uses;
- invalid UTF-8, over-long values, a body over the size cap, deeply nested JSON;
- forged Host and X-Forwarded-For headers, and methods a route does not take.

Every value carries a canary. The probe counts 5xx answers (goal 0) and looks for the canary in
everything the server logged (goal 0). Requests and time are bounded; nothing leaves 127.0.0.1.

    python bench/probe.py                         # SQLite, then PostgreSQL + Redis: 60,000 each
    python bench/probe.py --db sqlite --requests 3000   # quick (the CI test uses this)
    python bench/probe.py --json /tmp/probe.json

Exits 1 when a 5xx answer or a canary in the logs was found. Tracebacks in the log are counted
too, except gunicorn's own `SystemExit: 0` when a worker is stopped while it writes an answer.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load_run import database  # noqa: E402
from tests.stress.hostile import SQLI, XSS  # noqa: E402
from tests.stress.server import Gunicorn, server_env  # noqa: E402
from tests.stress.world import GENERIC  # noqa: E402

CANARY = "PrObEcAnArY7731"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"', re.I)
FORM = re.compile(r'<form\b[^>]*>', re.I)
ACTION = re.compile(r'\baction="([^"]*)"', re.I)
INT_ARG = re.compile(r"<int(?:\([^)]*\))?:([a-z_]+)>")
ANY_ARG = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")
NUMBER_NAMES = ("page", "run", "run_id", "theme", "id", "question", "board", "job", "per_page",
                "limit", "offset", "wave", "version", "item")
HUGE = ["99999999999999999999", str(2**63), str(2**31), "1e309", "-0", "0x7fffffff"]
DATES = ["99999", "10000", "0", "-1", "1e9", "٢٠٢٦", "২০২৬০"]
BAD_UTF8 = "%C0%AF%FF%FE%ED%A0%80"


def nested_json(depth: int = 5000) -> str:
    """A JSON document nested `depth` levels deep."""
    return "[" * depth + "]" * depth


@dataclass
class Client:
    """One visitor: a keep-alive connection per thread, a cookie, a CSRF token."""

    port: int
    email: str = ""
    password: str = ""
    cookie: str = ""
    token: str = ""
    local: threading.local = field(default_factory=threading.local)

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.local.conn = conn
        return conn

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        """One request: (status, body, Location); status 0 when the connection failed."""
        head = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookie:
            head["Cookie"] = self.cookie
        for attempt in range(2):
            conn = self._conn()
            try:
                conn.request(method, path, body=body, headers=head)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt:
                    return 0, "", ""
        cookie = response.getheader("Set-Cookie")
        if cookie and not head.get("Host"):
            self.cookie = cookie.split(";", 1)[0]
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            self.local.conn = None
        return response.status, text, response.getheader("Location") or ""

    def form(self, method: str, path: str, fields: list[tuple[str, str]],
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        """Send url-encoded fields with this visitor's CSRF token: (status, Location)."""
        body = urllib.parse.urlencode([*fields, ("csrf_token", self.token)]).encode()
        status, _, location = self.send(method, path, body, {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
        return status, location

    def sign_in(self) -> None:
        """Sign in through the real form (anonymous visitors just fetch a token)."""
        self.send("GET", "/auth/sign-in")
        if self.email:
            status, _ = self.form("POST", "/auth/sign-in",
                                  [("email", self.email), ("password", self.password)])
            if status not in (302, 303):
                raise RuntimeError(f"sign-in as {self.email} answered {status}")
            self.send("GET", "/staff/")


def fields_of(html: str, path: str) -> list[str]:
    """Names of the fields of the page's forms that post to `path` (or to themselves)."""
    names: list[str] = []
    starts = [m.start() for m in FORM.finditer(html)] + [len(html)]
    for begin, end in itertools.pairwise(starts):
        tag = FORM.match(html, begin)
        action = ACTION.search(tag.group(0)) if tag else None
        target = urllib.parse.urlsplit(action.group(1)).path if action and action.group(1) else path
        if target == path:
            names += [n for n in FIELD.findall(html[begin:end]) if n != "csrf_token"]
    return list(dict.fromkeys(names))


@dataclass
class Target:
    """A route with real ids filled in, and what a request to it can carry."""

    method: str
    rule: str
    path: str
    fields: list[str]
    int_args: list[str]
    args: dict[str, str]

    def fill(self, overrides: dict[str, str]) -> str:
        """The rule's path with the world's ids, some replaced."""
        def one(match: re.Match[str]) -> str:
            name = match.group(2)
            return overrides.get(name) or self.args.get(name) or GENERIC.get(
                match.group(1) or "string", "sample")

        return ANY_ARG.sub(one, self.rule)


def targets(app: Any, world: Any, admin: Client) -> list[Target]:
    """Every route and method, with the form fields its page offers (read as an admin)."""
    from tests.stress.world import routes

    found: list[Target] = []
    for method in ("GET", "POST"):
        for rule in routes(app, method):
            if "sign_out" in rule.endpoint:
                continue
            path = world.url(rule)
            names: list[str] = []
            if method == "POST":
                status, html, _ = admin.send("GET", path)
                names = fields_of(html, path) if status == 200 else []
            found.append(Target(method, rule.rule, path, names, INT_ARG.findall(rule.rule),
                                dict(world.args)))
    return found


Request = tuple[str, str, str, list[tuple[str, str]], dict[str, str]]


def hostile_requests(target: Target, rng: random.Random) -> list[Request]:
    """(kind, method, path, form fields, headers) for one route: one of each kind that applies."""
    path, method = target.path, target.method
    marked = f"{CANARY}{rng.randrange(10**6)}"
    fields = target.fields or ["q", "text", "name"]
    out: list[Request] = []

    def add(kind: str, p: str, form: list[tuple[str, str]] | None = None,
            headers: dict[str, str] | None = None, m: str = method) -> None:
        out.append((kind, m, p, form or [], headers or {}))

    quoted_nul = urllib.parse.quote(f"x\x00{marked}")
    add("nul-query", f"{path}?q={quoted_nul}&page={quoted_nul}")
    segments = path.rstrip("/").split("/")
    if len(segments) > 2:
        add("nul-path", "/".join([*segments[:-1], segments[-1] + "%00" + marked]))
    if method == "POST":
        add("nul-form", path, [(n, f"{marked}\x00{n}") for n in fields])
        add("xss-form", path, [(n, rng.choice(XSS) + marked) for n in fields])
        add("sqli-form", path, [(n, rng.choice(SQLI) + marked) for n in fields])
        add("long-form", path, [(n, (marked + " ") * 600) for n in fields[:3]])
        add("dates", path, [(n, rng.choice(DATES)) if re.search(r"(day|month|year)$", n)
                            else (n, marked) for n in fields])
        add("json-deep", path, [(n, nested_json()) for n in fields[:2]])
        add("body-cap", path, [("text", marked + "x" * 70_000)])
    for name in target.int_args:
        add("bigint-path", target.fill({name: rng.choice(HUGE)}))
    add("bigint-query", f"{path}?" + "&".join(f"{n}={rng.choice(HUGE)}" for n in NUMBER_NAMES))
    add("sqli-query", f"{path}?" + urllib.parse.urlencode(
        {n: rng.choice(SQLI) + marked for n in ("sort", "order", "q", "status", "ward", "filter")}))
    add("bad-utf8", f"{path}?q={BAD_UTF8}{marked}")
    add("forged-host", path, headers={"Host": f"evil.example.{marked.lower()}"}, m="GET")
    add("forged-xff", path, headers={"X-Forwarded-For": f"1.2.3.4, {marked}, ::1"}, m="GET")
    add("odd-method", path, m=rng.choice(["PUT", "DELETE", "PATCH"]))
    return out


@dataclass
class Tally:
    """What came back, by kind of request."""

    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    five_xx: list[str] = field(default_factory=list)
    resigned: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, label: str, kind: str) -> None:
        with self.lock:
            self.sent += 1
            self.statuses[status] += 1
            self.by_kind[kind] += 1
            if status >= 500 or status == 0:
                self.five_xx.append(f"{status} {label}")


def probe_one(kind: str, requests: int, seconds: float, threads: int, seed: int,
              pg_base: str, redis_url: str, workers: int) -> dict[str, Any]:
    """Run the probe on one database; return the figures."""
    from engage.extensions import db
    from tests.conftest import make_app
    from tests.pages import STAFF_PASSWORD
    from tests.stress.world import build_world

    tmp = Path(tempfile.mkdtemp(prefix="engage-probe-"))
    url, drop = database(kind, tmp, pg_base)
    extra = {"ENGAGE_INSECURE_COOKIES": "1"}
    if kind == "postgresql" and redis_url:
        extra["REDIS_URL"] = redis_url
    env = server_env(url, **extra)
    from tests.conftest import migrate

    migrate(url)
    app = make_app(url)
    with app.app_context():
        world = build_world(app)
        db.session.commit()
    log = tmp / "server.log"
    server = Gunicorn(env, workers=workers, log=log)
    try:
        server.wait_up()
        clients = [Client(server.port)] + [Client(server.port, email, STAFF_PASSWORD)
                                           for email in world.emails.values()]
        for client in clients:
            client.sign_in()
        with app.app_context():
            plan = targets(app, world, clients[[c.email for c in clients].index(
                world.emails["admin"])])
        rng = random.Random(seed)
        work = [(client, t) for t in plan for client in clients]
        rng.shuffle(work)
        tally = Tally()
        deadline = time.monotonic() + seconds
        position = iter(range(10**9))
        started = time.monotonic()

        def worker(offset: int) -> None:
            local_rng = random.Random(seed * 1000 + offset)
            while tally.sent < requests and time.monotonic() < deadline:
                client, target = work[next(position) % len(work)]
                for kind_, method, path, form, headers in hostile_requests(target, local_rng):
                    if tally.sent >= requests:
                        return
                    label = f"{method} {target.rule} [{kind_}] as {client.email or 'anonymous'}"
                    if form or method in ("POST", "PUT", "PATCH", "DELETE"):
                        status, location = client.form(method, path, form, headers)
                    else:
                        status, _, location = client.send(method, path, headers=headers)
                    tally.record(status, label, kind_)
                    if client.email and "/auth/sign-in" in location:
                        tally.resigned += 1  # an account change or time-out ended the session
                        with contextlib.suppress(RuntimeError):  # a stopped account stays out
                            client.sign_in()

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(0.5)  # let the workers finish writing the last answers before they stop
    finally:
        # A graceful stop (SIGTERM): workers finish what they are writing, so gunicorn never
        # logs an interrupted request (with its URL) as it would on a quick stop.
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.proc.pid, signal.SIGTERM)
            server.proc.wait(timeout=30)
        server.stop()
        drop()
    logged = log.read_text("utf-8", "replace")
    shutil.rmtree(tmp, ignore_errors=True)
    canaries = logged.count(CANARY)
    canary_lines = [line[:300] for line in logged.splitlines() if CANARY in line][:10]
    return {"database": kind, "requests": tally.sent, "seconds": round(elapsed, 1),
            "per_second": round(tally.sent / elapsed, 1), "routes": len(plan),
            "visitors": len(clients), "five_xx": len(tally.five_xx),
            "five_xx_samples": sorted(set(tally.five_xx))[:40],
            "statuses": dict(sorted(tally.statuses.items())),
            "kinds": dict(sorted(tally.by_kind.items())), "canaries_in_logs": canaries,
            "canary_lines": canary_lines,
            "log_lines": logged.count("\n"),
            "tracebacks": logged.count("Traceback") - logged.count("\nSystemExit: 0"),
            "signed_in_again": tally.resigned}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--requests", type=int, default=60_000, help="hostile requests per database")
    ap.add_argument("--seconds", type=float, default=1500, help="time bound per database")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--pg-url", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = [probe_one(k, args.requests, args.seconds, args.threads, args.seed, args.pg_url,
                         args.redis_url, args.workers) for k in kinds]
    for r in results:
        print(f"{r['database']}: {r['requests']} hostile requests over {r['routes']} route/method "
              f"pairs as {r['visitors']} visitors in {r['seconds']} s ({r['per_second']}/s): "
              f"5xx {r['five_xx']}, canary in logs {r['canaries_in_logs']}, "
              f"tracebacks {r['tracebacks']}")
        print(f"  statuses {r['statuses']}")
        for sample in r["five_xx_samples"]:
            print(f"  5xx: {sample}")
        for line in r["canary_lines"]:
            print(f"  canary logged: {line}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    bad = any(r["five_xx"] or r["canaries_in_logs"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
