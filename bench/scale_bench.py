"""Scale benchmark (issue 21): a borough's years of engagement on PostgreSQL, measured.

Builds realistic data in bulk (COPY) on the PostgreSQL database it is given, after running the
project's migrations on it: the demo survey published as five yearly waves, N sent responses
spread over them (channel mix with fieldwork details, wards, two free texts each), the latest
wave's illustrative population, quotas and a weighting run over its responses, a theme run
over its free texts with memberships (written straight to the tables: the engine itself is
measured by bench/themes_bench.py), Ask the Mayor questions (the demo's, copied to scale) and a
priority board over the run's approved themes. Then, against gunicorn on 127.0.0.1 (the
production settings, signed in as an administrator), it measures:

- staff_pages_p95_ms: p95 over repeated requests of each staff page;
- weighted_results_s: the weighted results page's first request (a fresh server);
- csv_rows_per_s: the streamed CSV export of the latest wave;
- resident_p99_ms: a resident's question page while staff pages and an export run;
- worker_rss_mb: the web workers' memory (idle, peak during the export, at the end).

`--pools split` (the default, as docs/deploy.md recommends): residents' pages and staff pages
are served by two gunicorn pools (the staff pool niced, `--staff-nice`), and every request goes
to the pool the load balancer would send its path to (`/staff`, `/auth`, `/api`: staff); `--pools
one`: a single gunicorn serves both. The export also reports the web workers' CPU seconds and
rows per CPU second (steadier than rows per second on a shared machine).

    python bench/scale_bench.py --responses 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scale_bench --json out.json

The database must be empty (a fresh `createdb`): the script refuses one with surveys in it.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import free_port, machine, start, stop, wait_until_up  # noqa: E402
from bench.survey_bench import pct  # noqa: E402

ADMIN = "scale-admin@example.org"
OFFICER = "officer@engage.example"  # the Ask the Mayor demo assigns questions to this officer
INTERVIEWER = "scale-interviewer@example.org"
PASSWORD = "scale-bench-password-" + secrets.token_hex(4)
WAVES = (2022, 2023, 2024, 2025, 2026)
POOL = 400  # distinct generated answer sets the responses are drawn from
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Words of each demo topic (engage/demo/phrases.py), to place a text on its theme the way the
# engine's themes came out of the demo: one theme per topic.
TOPIC_WORDS = {
    "housing": ("housing", "rent", "repair", "damp", "home", "flat", "landlord"),
    "crime": ("crime", "police", "antisocial", "drug", "safe", "knife", "theft"),
    "cleanliness": ("litter", "rubbish", "fly-tip", "bins", "clean", "dirty"),
    "cost_of_living": ("cost", "bills", "price", "afford", "energy", "food bank"),
    "health": ("gp", "doctor", "health", "appointment", "nhs", "hospital"),
    "youth": ("young", "youth", "kids", "children", "teenager"),
    "transport": ("bus", "buses", "transport", "traffic", "road", "cycle"),
    "parks": ("park", "green", "trees", "playground"),
    "air_quality": ("air", "pollution", "fumes"),
    "cohesion": ("community", "neighbour", "together", "events"),
}


def app_for(url: str) -> Any:
    """The app in this process on the benchmark database."""
    from engage import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                       "RATELIMIT_STORAGE_URI": "memory://", "TWO_STEP_DEFAULT_ROLES": (),
                       "SERVER_NAME": None})


def copy_rows(table: str, columns: list[str], rows: Any) -> int:
    """COPY rows (tuples) into a table over the session's own psycopg connection."""
    from engage.extensions import db

    raw = db.session.connection().connection.driver_connection
    count = 0
    with raw.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reference(prefix: str, number: int) -> str:
    text = f"{prefix}{number:07d}"
    return f"{text[:4]}-{text[4:]}"


def build(url: str, responses: int, seed: int = 21) -> dict[str, Any]:
    """Migrate and fill the database; what the measurements need (slugs, ids, a cookie)."""
    from sqlalchemy import func, select, text

    import surveys
    from bench.survey_prep import _cookie
    from engage.demo import mayor as demo_mayor
    from engage.demo.answers import generate_response
    from engage.demo.surveys import CHANNEL_MIX, LAWFUL_BASIS, PRIVACY, demo_definition
    from engage.extensions import db
    from engage.migrating import upgrade_once
    from engage.models import Response, Survey
    from engage.models._types import utcnow
    from engage.services.code import weighting
    from engage.services.collect.published_surveys import loaded_definition, publish_definition
    from engage.services.platform.accounts import create_user

    app = app_for(url)
    upgrade_once(app)
    timings: dict[str, float] = {}
    with app.app_context():
        if db.session.scalar(select(func.count(Survey.id))):
            sys.exit("the database already holds surveys: give the benchmark a fresh one")
        t0 = time.perf_counter()
        admin = create_user(ADMIN, "admin", PASSWORD, name="Scale bench")
        create_user(OFFICER, "engagement_officer", PASSWORD, name="Scale officer")
        # Plain ids: nothing may touch the ORM (an expired attribute's query) during a COPY.
        interviewer_id = create_user(INTERVIEWER, "interviewer", PASSWORD,
                                     name="Scale interviewer").id
        admin_id = admin.id
        rng = random.Random(seed)
        waves = []
        for year in WAVES:
            definition = demo_definition()
            definition["id"] = f"residents-{year}"
            version = publish_definition(definition, lawful_basis=LAWFUL_BASIS,
                                         privacy_notice=PRIVACY)
            waves.append((version.survey_id, version.id, loaded_definition(version)))
        definition = waves[-1][2]
        pool = []
        while len(pool) < POOL:
            generated = generate_response(definition, rng)
            texts = surveys.free_text_answers(definition, generated["answers"])
            if len(texts) >= 2:
                pool.append((generated, json.dumps(generated["answers"]), texts[:2]))
        timings["set_up_s"] = time.perf_counter() - t0
        # Responses and their free texts, with ids chosen here so both go in one COPY each.
        t0 = time.perf_counter()
        first = (db.session.scalar(select(func.max(Response.id))) or 0) + 1
        channels = [c for c, _ in CHANNEL_MIX]
        channel_weights = [w for _, w in CHANNEL_MIX]
        now = utcnow()
        plan = []
        for i in range(responses):
            survey_id, version_id, _ = waves[i * len(waves) // responses]
            year = WAVES[i * len(waves) // responses]
            submitted = (datetime(year, 9, 1, tzinfo=UTC)
                         + timedelta(days=rng.uniform(0, 90), minutes=rng.uniform(0, 1440)))
            submitted = min(submitted, now - timedelta(minutes=1))
            plan.append((first + i, survey_id, version_id, rng.randrange(POOL),
                         rng.choices(channels, channel_weights)[0], submitted,
                         submitted - timedelta(minutes=rng.uniform(4, 25))))

        def response_rows() -> Any:
            for rid, survey_id, version_id, p, channel, submitted, started in plan:
                generated, answers, _ = pool[p]
                assisted = channel in ("face_to_face", "phone")
                batch = (f"Fieldwork week {rid % 4 + 1}" if assisted else
                         f"Paper batch {rid % 3 + 1}" if channel == "paper" else None)
                yield (rid, survey_id, version_id, "submitted", channel, generated["language"],
                       answers, "", _reference("S", rid), started, submitted, submitted,
                       interviewer_id if assisted else None, assisted and rid % 23 == 0,
                       batch, str(rid) if channel == "paper" else None,
                       started if assisted else None)

        copy_rows("responses", ["id", "survey_id", "survey_version_id", "status", "channel",
                                "language", "answers", "current_page", "reference",
                                "started_at", "updated_at", "submitted_at", "interviewer_id",
                                "proxy", "batch", "sheet_number", "consent_recorded_at"],
                  response_rows())

        def text_rows() -> Any:
            for rid, survey_id, version_id, p, channel, submitted, _ in plan:
                generated, _, texts = pool[p]
                for qid, answer in texts:
                    yield (rid, survey_id, version_id, qid, answer, generated["language"],
                           channel, submitted)

        copy_rows("free_text_answers", ["response_id", "survey_id", "survey_version_id",
                                        "question_id", "text", "language", "channel",
                                        "submitted_at"], text_rows())
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('responses', 'id'), "
                                "(SELECT max(id) FROM responses))"))
        db.session.commit()
        timings["responses_s"] = time.perf_counter() - t0
        # Fieldwork and weighting on the latest wave, through the services.
        t0 = time.perf_counter()
        latest = db.session.get(Survey, waves[-1][0])
        assert latest is not None
        weighting.load_illustrative_population(latest)
        weighting.quotas_from_population(latest, max(responses // len(WAVES), 100))
        outcome = weighting.run_weighting(latest)
        if outcome.run is None:
            sys.exit("weighting did not run: " + "; ".join(p.message for p in outcome.problems))
        timings["weighting_run_s"] = time.perf_counter() - t0
        respondents = outcome.run.respondents
        t0 = time.perf_counter()
        run_id, theme_id = theme_run(latest.id, admin_id, seed)
        timings["theme_run_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in demo_mayor.load():
            pass
        mayor = mayor_to_scale(max(responses // 20, 400))
        board_id = board(run_id, admin_id)
        timings["mayor_and_board_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        timings["analyze_s"] = time.perf_counter() - t0
        # A resident who has started the latest wave: the question page's session cookie.
        resident = Response(survey_id=latest.id, survey_version_id=waves[-1][1],
                            status="in_progress", channel="online", language="en",
                            answers={}, started_at=now, updated_at=now,
                            expires_at=now + timedelta(days=30))
        db.session.add(resident)
        db.session.commit()
        raw = hashlib.sha1(os.urandom(64)).hexdigest()
        cookie = _cookie(app, {"csrf_token": raw, "surveys": {latest.slug: resident.id}})
        first_page = surveys.path(definition, {})[0]
        slug = latest.slug
        counts = {name: int(db.session.scalar(text(f"SELECT count(*) FROM {name}")) or 0)
                  for name in ("responses", "free_text_answers", "response_weights",
                               "analysis_texts", "theme_memberships", "mayor_questions")}
        db.session.remove()
        db.engine.dispose()
    return {"slug": slug, "run_id": run_id, "theme_id": theme_id, "board_id": board_id,
            "cookie": cookie, "question_page": first_page, "counts": counts,
            "timings_s": timings, "mayor": mayor,
            "weighting_respondents": respondents}


def _topic(text_: str) -> str:
    lowered = text_.casefold()
    best = max(TOPIC_WORDS, key=lambda t: sum(w in lowered for w in TOPIC_WORDS[t]))
    return best if any(w in lowered for w in TOPIC_WORDS[best]) else ""


def theme_run(survey_id: int, admin_id: int, seed: int) -> tuple[int, int]:
    """A finished theme run over the survey's free texts of its first free-text question, with
    themes, run texts, memberships and quotes, as the engine's run stores them."""
    from sqlalchemy import select

    from engage.demo.priorities import TOPIC_TITLES
    from engage.extensions import db
    from engage.models import AnalysisText, FreeTextAnswer, Theme, ThemeQuote, ThemeRun
    from engage.models._types import utcnow
    from engage.services.code.themes import sources

    rng = random.Random(seed)
    question = db.session.scalar(select(FreeTextAnswer.question_id).where(
        FreeTextAnswer.survey_id == survey_id).order_by(FreeTextAnswer.id).limit(1))
    now = utcnow()
    run = ThemeRun(title="Scale analysis", sources=[f"survey:{survey_id}:{question}"],
                   filters={}, n_themes=len(TOPIC_WORDS), seed=0, status="succeeded",
                   model={"idf": {}, "min_score": 0.03, "multi_ratio": 0.8},
                   created_by_id=admin_id, created_at=now, finished_at=now)
    db.session.add(run)
    db.session.flush()
    # The texts as the run reads them (ward and demographics from each response), stored
    # (read first: nothing else may use the connection during a COPY).
    collected = list(sources.collect(list(run.sources), sources.Filters()))
    copy_rows("analysis_texts", ["source", "source_id", "text", "redacted", "survey_id",
                                 "question_id", "respondent", "ward", "channel", "language",
                                 "group_name", "submitted_at", "weight", "attributes",
                                 "updated_at"],
              ((r.source, r.source_id, r.text, r.text, r.survey_id, r.question_id,
                r.respondent, r.ward, r.channel, r.language, r.group_name, r.submitted_at,
                r.weight, json.dumps(dict(r.attributes)), now)
               for r in collected))
    themes = {}
    for position, topic in enumerate(TOPIC_WORDS):
        theme = Theme(run_id=run.id, key=f"n{position}", label=TOPIC_TITLES[topic],
                      description=f"What residents said about {TOPIC_TITLES[topic].lower()}.",
                      key_phrases=list(TOPIC_WORDS[topic][:4]), profile={}, origin="engine",
                      created_at=now, updated_at=now)
        db.session.add(theme)
        themes[topic] = theme
    db.session.flush()
    rows = db.session.execute(select(AnalysisText.id, AnalysisText.text).where(
        AnalysisText.source == "survey", AnalysisText.survey_id == survey_id,
        AnalysisText.question_id == question).order_by(AnalysisText.id)).all()
    run_id = run.id
    theme_ids = {topic: theme.id for topic, theme in themes.items()}
    placed = [(tid, theme_ids.get(_topic(body))) for tid, body in rows]
    copy_rows("theme_run_texts", ["run_id", "text_id", "theme_id", "score", "sentiment",
                                  "is_new"],
              ((run_id, tid, t, round(rng.uniform(0.05, 0.6), 3),
                round(rng.uniform(-0.8, 0.8), 3), False) for tid, t in placed))
    copy_rows("theme_memberships", ["run_id", "theme_id", "text_id", "score"],
              ((run_id, t, tid, round(rng.uniform(0.05, 0.6), 3))
               for tid, t in placed if t is not None))
    sizes: dict[int, int] = {}
    for tid, t in placed:
        if t is not None:
            sizes[t] = sizes.get(t, 0) + 1
            if sizes[t] <= 5:
                db.session.add(ThemeQuote(theme_id=t, text_id=tid, score=0.5,
                                          position=sizes[t] - 1))
    for theme in themes.values():
        theme.size = theme.respondents = sizes.get(theme.id, 0)
        theme.share = theme.size / max(len(rows), 1)
    run.text_count = len(rows)
    run.unthemed_count = sum(1 for _, t in placed if t is None)
    db.session.commit()
    biggest = max(themes.values(), key=lambda t: t.size)
    return run_id, biggest.id


def mayor_to_scale(target: int) -> int:
    """Copy the demo's Ask the Mayor questions (with new references) up to `target`."""
    from sqlalchemy import func, select, text

    from engage.extensions import db
    from engage.models import MayorQuestion

    have = int(db.session.scalar(select(func.count(MayorQuestion.id))) or 0)
    columns = [c.name for c in MayorQuestion.__table__.columns
               if c.name not in ("id", "reference", "duplicate_of_id")]
    listed = ", ".join(columns)
    selected = ", ".join(f"q.{c}" for c in columns)
    if target > have and have:
        db.session.execute(text(
            f"INSERT INTO mayor_questions (reference, {listed})"
            f" SELECT 'Q' || lpad((g * 10000 + q.id)::text, 8, '0'), {selected}"
            " FROM mayor_questions q CROSS JOIN generate_series(1, :copies) g"
            " WHERE q.duplicate_of_id IS NULL"),
            {"copies": max(1, (target - have) // have)})
        db.session.commit()
    return int(db.session.scalar(select(func.count(MayorQuestion.id))) or 0)


def board(run_id: int, admin_id: int) -> int:
    """A Task and Finish group and its board, open for scoring, over the run's five largest
    themes (approved, as the demo analyst does)."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.forms.priorities import default_criteria
    from engage.models import Theme, User
    from engage.services.code.themes import edits
    from engage.services.decide.priorities import boards, groups

    admin = db.session.get(User, admin_id)
    for theme in db.session.scalars(select(Theme).where(Theme.run_id == run_id)
                                    .order_by(Theme.size.desc()).limit(5)):
        edits.set_approved(theme, admin, True)
    group = groups.create_group(admin, "Scale group", "Agree priorities.", admin.id, [])
    made = boards.create_board(group, admin, "Scale board", [run_id], default_criteria())
    boards.open_scoring(made, admin)
    return int(made.id)


# ------------------------------------------------------------------ measurement over HTTP


STAFF_PATHS = ("/staff/", "/staff?", "/api/", "/auth/")
"""Paths the load balancer sends to the staff pool when the pools are split (docs/deploy.md:
staff pages, their exports and jobs, the partner API and staff sign-in); the rest (residents'
surveys, public pages, Ask the Mayor) to the resident pool."""


class Pools:
    """Where each path is served: one gunicorn for everything, or the resident and staff pools
    of docs/deploy.md, routed by path as the load balancer does."""

    def __init__(self, resident: int, staff: int | None = None) -> None:
        self.resident = resident
        self.staff = staff if staff is not None else resident

    def port(self, path: str) -> int:
        return self.staff if (path + "?").startswith(STAFF_PATHS) else self.resident


class Client:
    """A keep-alive connection per pool with a cookie jar of one cookie."""

    def __init__(self, pools: Pools | int, cookie: str = "") -> None:
        self.pools = pools if isinstance(pools, Pools) else Pools(pools)
        self.conns: dict[int, http.client.HTTPConnection] = {}
        self.cookie = cookie

    def _conn(self, port: int, fresh: bool = False) -> http.client.HTTPConnection:
        if fresh or port not in self.conns:
            if port in self.conns:
                self.conns[port].close()
            self.conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        return self.conns[port]

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                sink: Any = None) -> tuple[int, float, dict[str, str], bytes]:
        headers = {"Cookie": self.cookie, "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        port = self.pools.port(path)
        started = time.perf_counter()
        try:
            conn = self._conn(port)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
        except (OSError, http.client.HTTPException):
            conn = self._conn(port, fresh=True)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
        if sink is None:
            data = response.read()
        else:
            data = b""
            while chunk := response.read(1 << 16):
                sink(chunk)
        seconds = time.perf_counter() - started
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, seconds, dict(response.getheaders()), data

    def token(self, path: str) -> str:
        status, _, _, page = self.request("GET", path)
        found = TOKEN.search(page.decode())
        if status != 200 or found is None:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token")
        return found.group(1)

    def sign_in(self, password: str) -> None:
        status, _, _, _ = self.request("POST", "/auth/sign-in", {
            "csrf_token": self.token("/auth/sign-in"), "email": ADMIN, "password": password})
        if status != 303:
            raise RuntimeError(f"sign-in answered {status}")


def staff_pages(built: dict[str, Any]) -> dict[str, str]:
    slug = built["slug"]
    return {
        "staff home": "/staff/",
        "survey list": "/staff/surveys",
        "survey page": f"/staff/surveys/{slug}/build",
        "weighted results": f"/staff/surveys/{slug}/results",
        "fieldwork dashboard": f"/staff/surveys/{slug}/fieldwork",
        "theme list": f"/staff/themes/runs/{built['run_id']}",
        "theme page": f"/staff/themes/{built['theme_id']}",
        "equity lens": f"/staff/themes/{built['theme_id']}/equity",
        "moderation queue": "/staff/mayor/",
        "board": f"/staff/priorities/boards/{built['board_id']}",
        "report": f"/staff/surveys/{slug}/report",
    }


def worker_pids(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def rss_mb(pids: list[int]) -> list[float]:
    out = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return out


def cpu_s(pids: list[int]) -> float:
    """CPU seconds (user and system, all threads) the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def export_csv(client: Client, slug: str, token: str, pids: list[int],
               peaks: list[float]) -> dict[str, float]:
    """One streamed CSV export; rows/s, the web workers' CPU (all of them: the others idle
    when it runs alone) and their RSS sampled while it streams."""
    size = [0, 0]  # bytes, newlines

    sampled = [0.0]

    def sink(chunk: bytes) -> None:
        size[0] += len(chunk)
        size[1] += chunk.count(b"\n")
        if time.perf_counter() - sampled[0] > 0.2:  # the workers' memory, 5 times a second
            sampled[0] = time.perf_counter()
            peaks.append(max(rss_mb(pids), default=0.0))

    cpu = cpu_s(pids)
    status, seconds, headers, _ = client.request(
        "POST", f"/staff/surveys/{slug}/responses.csv", {"csrf_token": token}, sink=sink)
    if status != 200:
        raise RuntimeError(f"CSV export answered {status}")
    cpu = cpu_s(pids) - cpu
    rows = int(headers.get("X-Row-Count", size[1] - 1))
    return {"rows": rows, "seconds": seconds, "bytes": size[0], "rows_per_s": rows / seconds,
            "worker_cpu_s": cpu, "rows_per_worker_cpu_s": rows / cpu if cpu else 0.0}


def server_env(url: str) -> dict[str, str]:
    """The production settings the server and the builder share (one secret: the resident's
    session cookie is signed by the builder), rate limits and two-step off for the robot."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
           "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
           "DATABASE_URL": url, "RATELIMIT_ENABLED": "0", "RATELIMIT_STORAGE_URI": "memory://",
           "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost",
           "TWO_STEP_DEFAULT_ROLES": "", "ENGAGE_MIGRATE_ON_START": "0"}
    for key in ("FLASK_DEBUG", "ENGAGE_DEBUG", "REDIS_URL", "JOBS_MODE"):
        env.pop(key, None)
    return env


STAFF_NICE = 5
"""CPU priority the staff pool gives up when the pools are split (`Nice=5` in
deploy/systemd/engage-staff.service, `--staff-nice`): on a busy host residents come first."""


def start_pool(port: int, gunicorn: list[str], env: dict[str, str], log: Path,
               nice: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on `port` (http_bench.start), `nice` lower in CPU priority
    (its master, workers and their threads all inherit it, as under systemd's Nice=)."""
    if not nice:
        return start("engage:create_app()", port, gunicorn, env, log)
    cmd = [sys.executable, "-m", "gunicorn", *gunicorn, "--no-control-socket",
           "-b", f"127.0.0.1:{port}", "engage:create_app()"]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=lambda: os.nice(nice))


def measure(built: dict[str, Any], env: dict[str, str], repeats: int, seconds: float,
            workers: int, threads: int, tmp: Path, split: bool = True,
            staff_nice: int = STAFF_NICE) -> dict[str, Any]:
    """Everything over HTTP. `split`: residents' pages and staff pages served by two gunicorn
    pools of `workers` x `threads` each (the staff pool niced), routed by path as
    docs/deploy.md's load balancer does; otherwise one pool serves both."""
    env = {**env, "EXPORT_DIR": str(tmp / "exports")}
    gunicorn = ["-w", str(workers), "-k", "gthread", "--threads", str(threads),
                "--timeout", "600"]
    names = ("resident", "staff") if split else ("all",)
    procs, logs, ports = {}, {}, {}
    result: dict[str, Any] = {"gunicorn": " ".join(gunicorn),
                              "pools": "split" if split else "one"}
    if split:
        result["staff_pool_nice"] = staff_nice
    try:
        for name in names:
            ports[name], logs[name] = free_port(), tmp / f"gunicorn-{name}.log"
            procs[name] = start_pool(ports[name], gunicorn, env, logs[name],
                                     staff_nice if name == "staff" else 0)
        for name in names:
            wait_until_up(f"http://127.0.0.1:{ports[name]}/healthz", procs[name], logs[name],
                          limit=60)
        pools = Pools(ports[names[0]], ports[names[-1]])
        log = logs[names[-1]]
        by_pool = {name: worker_pids(procs[name].pid) for name in names}
        pids = [pid for found in by_pool.values() for pid in found]
        staff = Client(pools)
        staff.sign_in(built["password"])
        pages = staff_pages(built)
        # The weighted results' first computation, on a server that has not shown them yet.
        status, first, _, _ = staff.request("GET", pages["weighted results"])
        if status != 200:
            raise RuntimeError(f"weighted results answered {status}")
        result["weighted_results_s"] = round(first, 3)
        result["worker_rss_mb"] = {"idle": round(max(rss_mb(pids), default=0.0), 1)}
        for path in pages.values():  # warm-up: each worker's first render of each template
            staff.request("GET", path)
        times: dict[str, list[float]] = {name: [] for name in pages}
        statuses: dict[str, set[int]] = {name: set() for name in pages}
        for _ in range(repeats):
            for name, path in pages.items():
                status, took, _, _ = staff.request("GET", path)
                times[name].append(took)
                statuses[name].add(status)
        bad = {n: sorted(s) for n, s in statuses.items() if s != {200}}
        if bad:
            raise RuntimeError(f"staff pages did not answer 200: {bad}\n"
                               + log.read_text()[-3000:])
        result["staff_pages_p95_ms"] = {n: round(pct(t, 0.95), 1) for n, t in times.items()}
        result["staff_pages_p50_ms"] = {n: round(pct(t, 0.5), 1) for n, t in times.items()}
        token = staff.token("/staff/surveys")
        peaks: list[float] = []
        export = export_csv(staff, built["slug"], token, pids, peaks)
        result["csv_rows_per_s"] = round(export["rows_per_s"])
        result["csv_export"] = {k: round(v, 3) for k, v in export.items()}
        result["worker_rss_mb"]["peak_during_export"] = round(max(peaks, default=0.0), 1)
        result.update(resident_under_load(pools, built, pages, token, staff.cookie, seconds,
                                          pids))
        result["worker_rss_mb"]["end"] = round(max(rss_mb(pids), default=0.0), 1)
        result["worker_rss_mb"]["workers"] = len(pids)
        if split:
            result["worker_rss_mb"]["end_by_pool"] = {
                name: round(max(rss_mb(found), default=0.0), 1)
                for name, found in by_pool.items()}
    finally:
        for proc in procs.values():
            stop(proc)
    return result


def resident_under_load(pools: Pools, built: dict[str, Any], pages: dict[str, str], token: str,
                        staff_cookie: str, seconds: float, pids: list[int]) -> dict[str, Any]:
    """Residents open the question page while a staff member goes round the pages and another
    exports the CSV, back to back, for `seconds`; the residents' latencies and the others'."""
    deadline = time.perf_counter() + seconds
    path = f"/s/{built['slug']}/q/{built['question_page']}"
    cookie = f"engage_session={built['cookie']}"
    resident_times: list[float] = []
    resident_bad: list[int] = []
    staff_times: list[float] = []
    exports: list[float] = []
    peaks: list[float] = []
    lock = threading.Lock()

    def resident() -> None:
        client = Client(pools, cookie)
        while time.perf_counter() < deadline:
            status, took, _, _ = client.request("GET", path)
            with lock:
                resident_times.append(took)
                if status != 200:
                    resident_bad.append(status)
            time.sleep(0.05)  # a resident reads; several residents make the load

    def staff_round() -> None:
        client = Client(pools, staff_cookie)
        while time.perf_counter() < deadline:
            for page in pages.values():
                _, took, _, _ = client.request("GET", page)
                staff_times.append(took)

    def exporter() -> None:
        client = Client(pools, staff_cookie)
        while time.perf_counter() < deadline:
            exports.append(export_csv(client, built["slug"], token, pids, peaks)["rows_per_s"])

    threads = [threading.Thread(target=resident) for _ in range(4)]
    threads += [threading.Thread(target=staff_round), threading.Thread(target=exporter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not resident_times or resident_bad:
        raise RuntimeError(f"resident pages failed: {resident_bad[:5]}")
    return {"resident_p99_ms": round(pct(resident_times, 0.99), 1),
            "resident_p50_ms": round(pct(resident_times, 0.5), 1),
            "resident_requests": len(resident_times),
            "under_load": {"staff_requests": len(staff_times),
                           "staff_p95_ms": round(pct(staff_times, 0.95), 1),
                           "exports": len(exports),
                           "export_rows_per_s": round(statistics.median(exports))
                           if exports else 0,
                           "worker_rss_peak_mb": round(max(peaks, default=0.0), 1)}}


def about(load: str) -> list[str]:
    """The machine, as the other benchmarks describe it (without wrk, which this one skips)."""
    try:
        return machine(load)
    except OSError:  # no wrk installed
        return [f"CPUs (nproc): {os.cpu_count()}; load average at the start: {load}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--responses", type=int, required=True)
    ap.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    ap.add_argument("--json", type=Path, required=True, help="where to write the figures")
    ap.add_argument("--repeats", type=int, default=10, help="requests of each staff page")
    ap.add_argument("--seconds", type=float, default=20, help="length of the load phase")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    ap.add_argument("--pools", choices=("split", "one"), default="split",
                    help="split (docs/deploy.md): residents' pages and staff pages on two gunicorn"
                         " pools of --workers x --threads each, routed by path, the staff pool"
                         " niced; one: a single pool serves both")
    ap.add_argument("--staff-nice", type=int, default=STAFF_NICE,
                    help="how much lower the staff pool's CPU priority is (split pools)")
    ap.add_argument("--reuse", action="store_true",
                    help="measure again a database this script built (its OUT.built.json)")
    args = ap.parse_args()
    if not args.database_url.startswith("postgresql"):
        sys.exit("--database-url must be a PostgreSQL database")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    started = time.perf_counter()
    if not args.reuse:
        print(f"building {args.responses:,} responses...", file=sys.stderr)
    env = server_env(args.database_url)
    saved = args.json.with_suffix(".built.json")
    if args.reuse:  # after a change to the app: the same data, measured again
        built = json.loads(saved.read_text())
        env["SECRET_KEY"] = built["secret"]
    os.environ.clear()
    os.environ.update(env)
    if not args.reuse:
        built = build(args.database_url, args.responses)
        built["secret"], built["password"] = env["SECRET_KEY"], PASSWORD
        saved.write_text(json.dumps(built))
        print(f"built in {time.perf_counter() - started:.0f} s: {built['counts']}",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="engage-scale-") as tmp:
        figures = measure(built, env, args.repeats, args.seconds, args.workers,
                          args.threads, Path(tmp), split=args.pools == "split",
                          staff_nice=args.staff_nice)
    out = {"responses": args.responses, **figures,
           "slowest_staff_page": max(figures["staff_pages_p95_ms"].items(),
                                     key=lambda kv: kv[1])[0],
           "counts": built["counts"], "build_timings_s": {
               k: round(v, 1) for k, v in built["timings_s"].items()},
           "weighting_respondents": built["weighting_respondents"],
           "machine": about(load), "load_at_end": " ".join(f"{x:.1f}"
                                                             for x in os.getloadavg()),
           "command": "python bench/scale_bench.py " + " ".join(sys.argv[1:])}
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
