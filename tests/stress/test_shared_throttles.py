"""S23: sign-in throttles hold across workers and hosts with no Redis, and never lock out staff
who have not failed. Two gunicorn servers (two hosts, or two workers, with no store in common
but the database) on loopback ports; a resident of each counts against the same limits."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from engage.extensions import db
from tests.conftest import _truncate_postgres, make_app
from tests.pages import STAFF_PASSWORD
from tests.stress.server import REPO, Gunicorn, Resident, server_env

# serial: servers, loads and timings that need the machine to themselves (the Makefile
# runs these after the parallel run, one at a time).
pytestmark = [pytest.mark.slow, pytest.mark.serial]

STAFF = "officer@example.org"
FORM_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def servers(database_url: str, backend: str, tmp_path: Path) -> Iterator[list[Gunicorn]]:
    """Two servers of one worker each on one database, rate limits on, no REDIS_URL."""
    app = make_app(database_url)
    if backend == "postgresql":
        _truncate_postgres(app)
    with app.app_context():
        from tests.pages import make_user

        make_user(STAFF)
        db.engine.dispose()
    env = server_env(database_url, TMPDIR=str(tmp_path), RATELIMIT_ENABLED="1")
    started = [Gunicorn(env, workers=1, log=tmp_path / f"gunicorn-{i}.log") for i in range(2)]
    try:
        for server in started:
            server.wait_up()
        yield started
    finally:
        for server in started:
            server.stop()


def _sign_in(person: Resident, email: str, password: str) -> int:
    _status, page, _location = person.request("GET", "/auth/sign-in")
    found = FORM_TOKEN.search(page)
    assert found, page[-2000:]
    person.token = found.group(1)
    status, _body, _location = person.request(
        "POST", "/auth/sign-in", {"email": email, "password": password})
    return status


def test_ten_wrong_passwords_across_two_servers_pass_at_most_five(
        servers: list[Gunicorn]) -> None:
    people = [Resident(server.port) for server in servers]
    statuses = [_sign_in(people[i % 2], STAFF, "wrong-password-xx") for i in range(10)]
    assert statuses.count(200) == 5, statuses  # LOGIN_ACCOUNT_LIMIT: 5 per 15 minutes
    assert statuses[5:] == [429] * 5, statuses
    # Throttled on both servers, even with the right password.
    assert [_sign_in(person, STAFF, STAFF_PASSWORD) for person in people] == [429, 429]


def test_ten_simultaneous_wrong_passwords_to_two_workers_pass_at_most_five(
        database_url: str, backend: str, tmp_path: Path) -> None:
    app = make_app(database_url)
    if backend == "postgresql":
        _truncate_postgres(app)
    with app.app_context():
        from tests.pages import make_user

        make_user(STAFF)
        db.engine.dispose()
    env = server_env(database_url, TMPDIR=str(tmp_path), RATELIMIT_ENABLED="1")
    server = Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log")
    try:
        server.wait_up()
        people = [Resident(server.port) for _ in range(10)]
        for person in people:  # each has its session and form token before the burst
            _status, page, _location = person.request("GET", "/auth/sign-in")
            person.token = FORM_TOKEN.search(page).group(1)  # type: ignore[union-attr]
        statuses: list[int] = []
        threads = [threading.Thread(target=lambda p=person: statuses.append(p.request(
            "POST", "/auth/sign-in", {"email": STAFF, "password": "wrong-password-xx"})[0]))
            for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert len(statuses) == 10 and set(statuses) <= {200, 429}, statuses
    assert statuses.count(200) <= 5, statuses  # LOGIN_ACCOUNT_LIMIT, however they interleave


def test_unknown_email_failures_from_one_address_never_lock_out_staff(
        servers: list[Gunicorn]) -> None:
    people = [Resident(server.port) for server in servers]
    statuses = [_sign_in(people[i % 2], f"nobody{i}@example.org", "wrong-password-xx")
                for i in range(100)]
    assert statuses[:20] == [200] * 20, statuses  # LOGIN_IP_LIMIT: 20 per 15 minutes
    assert set(statuses[20:]) == {429}, statuses
    # The member of staff at the same address, who has not failed, still signs in.
    assert _sign_in(Resident(servers[1].port), STAFF, STAFF_PASSWORD) == 303


def test_production_refuses_several_workers_with_limits_in_memory(
        database_url: str, tmp_path: Path) -> None:
    env = server_env(database_url, RATELIMIT_ENABLED="1", ENGAGE_MIGRATE_ON_START="0")
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-w", "2",
         "-b", "127.0.0.1:0", "engage:create_app()"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "set REDIS_URL" in done.stderr + done.stdout
