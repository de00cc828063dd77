"""Faults as tests (R1, R4, R7): workers killed with kill -9, a write lock held for 8 s,
PostgreSQL backends terminated mid-burst, a full disk (migrations: test_migrate_once.py).
Residents get a 503 that keeps their answers, never a 500; nothing confirmed is ever lost."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import _truncate_postgres, make_app
from tests.stress.server import (
    REFERENCE,
    Gunicorn,
    Resident,
    check_responses,
    demo_journeys,
    server_env,
)

# serial: servers, loads and timings that need the machine to themselves (the Makefile
# runs these after the parallel run, one at a time).
pytestmark = [pytest.mark.slow, pytest.mark.serial]


@pytest.fixture
def fresh_url(database_url: str, backend: str) -> str:
    """An empty, migrated database (PostgreSQL: this process's test database, truncated)."""
    if backend == "postgresql":
        _truncate_postgres(make_app(database_url))
    return database_url


@pytest.fixture
def server(fresh_url: str, tmp_path: Path) -> Iterator[Gunicorn]:
    gunicorn = Gunicorn(server_env(fresh_url, TMPDIR=str(tmp_path)), workers=2,
                        log=tmp_path / "gunicorn.log")
    try:
        gunicorn.wait_up()
        yield gunicorn
    finally:
        gunicorn.stop()


def test_kill_9_workers_mid_submit_loses_nothing(fresh_url: str, server: Gunicorn) -> None:
    """Residents keep submitting while workers are killed; every confirmation has its row."""
    slug, journeys = demo_journeys(fresh_url, count=8)
    residents = [Resident(server.port) for _ in range(3)]
    stop = threading.Event()
    kills: list[int] = []

    def killer() -> None:
        time.sleep(0.2)
        while not stop.is_set() and len(kills) < 8:
            if server.kill_worker():
                kills.append(1)
            time.sleep(0.3)

    done = [0] * len(residents)
    deadline = time.monotonic() + 120

    def run(i: int, resident: Resident) -> None:
        # Keep answering until workers have been killed under load (a fast machine can finish
        # one round of journeys before the first kill), bounded in time.
        while True:
            for journey in journeys[i::len(residents)]:
                resident.journey(slug, journey)
                done[i] += 1
            if len(kills) >= 2 or time.monotonic() > deadline:
                return

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(residents)]
    chaos = threading.Thread(target=killer)
    chaos.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    stop.set()
    chaos.join()
    assert kills, "no worker was killed"
    statuses = [s for r in residents for s in r.statuses]
    assert 500 not in statuses
    references = [ref for r in residents for ref in r.references]
    assert len(references) == sum(done)
    counts = check_responses(fresh_url, references)
    assert counts["submitted"] == len(set(references))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # its durability is a setting
def test_kill_9_right_after_the_confirmation(fresh_url: str, server: Gunicorn) -> None:
    """R1: the 303 to the confirmation is sent only after the commit: kill every worker the
    instant it arrives, and the response is still there."""
    slug, journeys = demo_journeys(fresh_url, count=2)
    references = []
    for journey in journeys:
        resident = Resident(server.port)
        resident.until_done("GET", f"/s/{slug}/")
        resident.until_done("POST", f"/s/{slug}/start", {})
        for page_id, form in journey:
            resident.until_done("POST", f"/s/{slug}/q/{page_id}", form)
        status, _t, location = resident.request("POST", f"/s/{slug}/submit", {})
        assert status == 303 and location.endswith("/done")
        for pid in server.workers():
            server.kill_worker(pid)
        _s, page, _l = resident.until_done("GET", f"/s/{slug}/done")
        references.append(REFERENCE.search(page).group(1))  # type: ignore[union-attr]
    assert check_responses(fresh_url, references)["submitted"] == len(journeys)


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE users SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_write_lock_for_8_seconds_gives_503_that_keeps_answers(fresh_url: str,
                                                              server: Gunicorn) -> None:
    """A staff process holds SQLite's write lock for 8 s during a burst of page saves and
    submits: those that cannot wait get the 503 page with their answer still in the form;
    sending again afterwards works, and nothing is lost."""
    slug, journeys = demo_journeys(fresh_url, count=6)
    residents = [Resident(server.port) for _ in journeys]
    for resident, journey in zip(residents, journeys, strict=True):
        resident.until_done("GET", f"/s/{slug}/")
        resident.until_done("POST", f"/s/{slug}/start", {})
        for page_id, form in journey[:-1]:
            resident.until_done("POST", f"/s/{slug}/q/{page_id}", form)
    path = make_url(fresh_url).database
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), "8"],
                              stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    started = time.monotonic()
    results: dict[int, tuple[int, str]] = {}

    def last_page(i: int) -> None:
        page_id, form = journeys[i][-1]
        status, body, _l = residents[i].request("POST", f"/s/{slug}/q/{page_id}", form)
        results[i] = (status, body)

    threads = [threading.Thread(target=last_page, args=(i,)) for i in range(len(residents))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    during = time.monotonic() - started
    locker.wait(timeout=30)
    statuses = [s for s, _b in results.values()]
    assert 500 not in statuses and set(statuses) <= {303, 503}, statuses
    assert 503 in statuses, f"nobody saw the 503 page ({during:.1f} s)"
    for i, (status, body) in results.items():
        if status == 503:
            assert "We could not save your answer just now" in body
            _page_id, form = journeys[i][-1]
            for values in form.values():  # what the resident chose or typed is still there
                for value in values:
                    assert f'value="{value}"' in body or value in body, value
    # Sending again now works; every resident finishes; nothing is lost.
    references = []
    for i, resident in enumerate(residents):
        page_id, form = journeys[i][-1]
        if results[i][0] == 503:
            assert resident.request("POST", f"/s/{slug}/q/{page_id}", form)[0] == 303
        status, _t, _l = resident.until_done("POST", f"/s/{slug}/submit", {})
        _s, page, _l = resident.until_done("GET", f"/s/{slug}/done")
        references.append(REFERENCE.search(page).group(1))  # type: ignore[union-attr]
    assert check_responses(fresh_url, references)["submitted"] == len(residents)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_backends_terminated_mid_burst(fresh_url: str, server: Gunicorn) -> None:
    """Every connection of the app is cut three times while residents submit: they see 503
    at worst, never a 500; sending again succeeds; every confirmation has its row."""
    slug, journeys = demo_journeys(fresh_url, count=12)
    residents = [Resident(server.port) for _ in range(3)]
    database = make_url(fresh_url).database
    admin = create_engine(fresh_url, isolation_level="AUTOCOMMIT")
    stop = threading.Event()
    cuts: list[int] = []

    def cutter() -> None:
        time.sleep(0.5)
        with admin.connect() as conn:
            while not stop.is_set() and len(cuts) < 3:
                cut = conn.execute(text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": database}).scalar()
                cuts.append(int(cut or 0))
                time.sleep(0.7)

    def run(i: int, resident: Resident) -> None:
        for journey in journeys[i::len(residents)]:
            resident.journey(slug, journey)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(residents)]
    chaos = threading.Thread(target=cutter)
    chaos.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    stop.set()
    chaos.join()
    admin.dispose()
    assert sum(cuts) > 0, "no connection was cut"
    statuses = [s for r in residents for s in r.statuses]
    assert 500 not in statuses, server.log.read_text()[-6000:]
    references = [ref for r in residents for ref in r.references]
    assert len(references) == len(journeys)
    check_responses(fresh_url, references)


@pytest.fixture
def tiny_disk(tmp_path: Path, sqlite_template: Path) -> Iterator[Path]:
    """A 3 MB tmpfs holding the SQLite database (skips where mounting is not allowed)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; test_disk_full_simulated covers the code path")
    try:
        shutil.copyfile(sqlite_template, mount / "engage.sqlite")
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(path: Path) -> None:
    """Write zeros until the filesystem is full. Unbuffered, so that nothing is left in a buffer
    for the close to fail on (a buffered writer kept the part of the last block that did not fit,
    depending on how much space the database left, and raised ENOSPC when closed)."""
    with path.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass


def _start_and_answer(client, slug: str, journey) -> str:  # type: ignore[no-untyped-def]
    """Start the survey and answer every page but the last; return the CSRF token."""
    from tests.pages import csrf_token

    token = csrf_token(client, f"/s/{slug}/")
    assert client.post(f"/s/{slug}/start", data={"csrf_token": token}).status_code == 303
    for page_id, form in journey[:-1]:
        assert client.post(f"/s/{slug}/q/{page_id}",
                           data={**form, "csrf_token": token}).status_code == 303
    return token


def test_disk_full_gives_503_and_a_consistent_database(tiny_disk: Path) -> None:
    """R7 on a real full filesystem: the save fails with the 503 page keeping the answer; after
    space returns, the same press works and the database passes its integrity check."""
    url = f"sqlite:///{tiny_disk / 'engage.sqlite'}"
    slug, journeys = demo_journeys(url, count=1)
    app = make_app(url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    token = _start_and_answer(client, slug, journeys[0])
    filler = tiny_disk / "filler"
    _fill(filler)
    page_id, form = journeys[0][-1]
    full = client.post(f"/s/{slug}/q/{page_id}", data={**form, "csrf_token": token})
    refused_submit = client.post(f"/s/{slug}/submit", data={"csrf_token": token})
    assert full.status_code in (303, 503) and refused_submit.status_code in (303, 503)
    assert 503 in (full.status_code, refused_submit.status_code), "the full disk went unnoticed"
    if full.status_code == 503:
        assert "We could not save your answer just now" in full.get_data(as_text=True)
    filler.unlink()
    again = client.post(f"/s/{slug}/q/{page_id}", data={**form, "csrf_token": token})
    assert again.status_code == 303
    done = client.post(f"/s/{slug}/submit", data={"csrf_token": token})
    assert done.status_code == 303
    from engage.extensions import db

    with app.app_context():
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.engine.dispose()
    assert check_responses(url, [])["submitted"] == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_disk_full_simulated(fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path where no filesystem can be mounted: the storage layer raises ENOSPC."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from engage.extensions import db

    slug, journeys = demo_journeys(fresh_url, count=1)
    app = make_app(fresh_url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    token = _start_and_answer(client, slug, journeys[0])
    page_id, form = journeys[0][-1]
    real_commit = db.session.commit

    def full() -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", full)
        response = client.post(f"/s/{slug}/q/{page_id}", data={**form, "csrf_token": token})
        monkeypatch.setattr(db.session, "commit", real_commit)
    assert response.status_code == 503
    assert "We could not save your answer just now" in response.get_data(as_text=True)
    assert client.post(f"/s/{slug}/q/{page_id}",
                       data={**form, "csrf_token": token}).status_code == 303


def test_a_connection_lost_at_the_end_of_a_request_is_not_a_500(app, client,  # type: ignore[no-untyped-def]
                                                                 monkeypatch) -> None:
    """Found by the PostgreSQL test: a backend terminated between the page's last query and
    the session's closing rollback turned a rendered page into a bare 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    real_close = Session.close
    failed: list[int] = []

    def dying_close(self: Session) -> None:
        if not failed:
            failed.append(1)
            raise OperationalError("ROLLBACK", {}, Exception(
                "terminating connection due to administrator command"))
        real_close(self)

    monkeypatch.setattr(Session, "close", dying_close)
    assert client.get("/").status_code == 200
    assert failed
    assert client.get("/").status_code == 200
