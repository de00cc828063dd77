"""gunicorn on 127.0.0.1 for the fault tests, and simulated residents that retry like people do."""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings on a given database, cookies over plain HTTP, no rate limits,
    served as 127.0.0.1 (the base URL and the one trusted host)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
           "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
           "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0",
           "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost", **extra}
    for key in ("FLASK_DEBUG", "ENGAGE_DEBUG", "REDIS_URL", "WEB_CONCURRENCY",
                "TRUSTED_PROXIES"):
        env.pop(key, None)
    return env


class Gunicorn:
    """A gunicorn master and its workers in their own process group."""

    def __init__(self, env: dict[str, str], workers: int = 2, log: Path | None = None,
                 config: str | None = None) -> None:
        self.port = free_port()
        self.log = log or Path(env.get("TMPDIR", "/tmp")) / f"gunicorn-{self.port}.log"
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync", "--preload",
               "--no-control-socket", "--timeout", "30", "--graceful-timeout", "5",
               "-b", f"127.0.0.1:{self.port}"]
        if config:
            cmd += ["-c", config]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([*cmd, "engage:create_app()"], cwd=REPO, env=env,
                                         stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def wait_up(self, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def workers(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return pids

    def kill_worker(self, pid: int | None = None) -> int | None:
        """kill -9 one worker (a random one unless named); gunicorn starts a new one."""
        pids = self.workers()
        if not pids:
            return None
        victim = pid or random.choice(pids)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return victim

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # quick shutdown
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


@dataclass
class Resident:
    """One person with one browser: a cookie, a CSRF token, and patience for errors."""

    port: int
    cookie: str = ""
    token: str = ""
    statuses: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # confirmations actually shown

    def request(self, method: str, path: str, form: dict[str, Any] | None = None
                ) -> tuple[int, str, str]:
        """One request: (status, body, Location). Connection errors give status 0."""
        headers = {"Cookie": self.cookie, "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrf_token": self.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            conn.close()
        except (OSError, http.client.HTTPException):
            self.statuses.append(0)
            return 0, "", ""
        self.statuses.append(response.status)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        return response.status, text, response.getheader("Location") or ""

    def until_done(self, method: str, path: str, form: dict[str, Any] | None = None,
                   tries: int = 20, ok: tuple[int, ...] = (200, 303)) -> tuple[int, str, str]:
        """Send again (as a person would) while the server fails or the connection drops."""
        for _ in range(tries):
            status, text, location = self.request(method, path, form)
            if status in ok:
                return status, text, location
            time.sleep(0.2)
        raise AssertionError(f"{method} {path} kept failing: {self.statuses[-tries:]}")

    def journey(self, slug: str, pages: list[tuple[str, dict[str, list[str]]]]) -> str:
        """Start, answer every page, submit; return the reference shown (or raise)."""
        self.cookie = ""
        self.until_done("GET", f"/s/{slug}/")
        self.until_done("POST", f"/s/{slug}/start", {})
        for page_id, form in pages:
            self.until_done("POST", f"/s/{slug}/q/{page_id}", form)
        self.until_done("GET", f"/s/{slug}/check")
        status, _text, location = self.until_done("POST", f"/s/{slug}/submit", {})
        assert status == 303, status
        _s, text, _l = self.until_done("GET", urllib.parse.urlsplit(location).path)
        found = REFERENCE.search(text)
        assert found, text[:500]
        self.references.append(found.group(1))
        return found.group(1)


def demo_journeys(database_url: str, count: int = 30, seed: int = 3) -> tuple[str, list[Any]]:
    """Publish the demo survey in the database; answer sets for `count` residents."""
    import surveys
    from engage.demo.answers import generate_answers
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, SLUG, demo_definition
    from engage.extensions import db
    from engage.services.collect.published_surveys import publish_definition, published_survey
    from tests.conftest import make_app

    app = make_app(database_url)
    with app.app_context():
        publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        definition = published_survey(SLUG).definition
        rng = random.Random(seed)
        journeys = []
        for _ in range(count):
            answers = surveys.prune(definition, generate_answers(definition, rng))
            journeys.append([(p, surveys.to_form_data(definition, p, answers))
                             for p in surveys.path(definition, answers)])
        db.engine.dispose()
    return SLUG, journeys


def check_responses(database_url: str, references: list[str]) -> dict[str, int]:
    """Every confirmation shown has its row, and every submitted row is whole."""
    from sqlalchemy import func, select

    import surveys
    from engage.extensions import db
    from engage.models import FreeTextAnswer, Response, SurveyVersion
    from engage.services.collect.published_surveys import loaded_definition
    from tests.conftest import make_app

    app = make_app(database_url)
    with app.app_context():
        rows = db.session.scalars(select(Response).where(Response.status == "submitted")).all()
        by_reference = {r.reference: r for r in rows}
        missing = [ref for ref in references if ref not in by_reference]
        assert not missing, f"confirmed but not stored: {missing}"
        texts = dict(db.session.execute(select(FreeTextAnswer.response_id, func.count())
                                        .group_by(FreeTextAnswer.response_id)).all())
        for row in rows:
            definition = loaded_definition(db.session.get(SurveyVersion, row.survey_version_id))
            assert row.reference and row.submitted_at, row
            assert surveys.is_complete(definition, row.answers), f"half-written: {row.id}"
            expected = len(list(surveys.free_text_answers(definition, row.answers)))
            assert texts.get(row.id, 0) == expected, f"free text of {row.id} half-written"
        counts = {"submitted": len(rows), "confirmed": len(references)}
        db.engine.dispose()
    return counts
