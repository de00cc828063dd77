"""R6: several processes starting on an empty database migrate it once; gunicorn's master
migrates (deploy/gunicorn.conf.py) before forking workers, which never create tables."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from tests.stress.server import REPO, Gunicorn, Resident, server_env

# serial: servers, loads and timings that need the machine to themselves (the Makefile
# runs these after the parallel run, one at a time).
pytestmark = [pytest.mark.slow, pytest.mark.serial]


def _empty_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    base = os.environ["TEST_DATABASE_URL"]
    name = f"engage_boot_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _revisions(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    engine.dispose()
    return found


def test_several_processes_migrate_an_empty_database_once(backend: str, tmp_path: Path,
                                                          request: pytest.FixtureRequest) -> None:
    url = _empty_database(backend, tmp_path, request)
    env = server_env(url)
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "engage", "upgrade-db"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sum("Migrated the database from empty" in o for o in outputs) == 1, outputs
    assert sum("already at revision" in o for o in outputs) == 1, outputs
    assert len(_revisions(url)) == 1


def _waits_for_lock(backend: str, url: str, pid: int) -> bool:
    """True while process `pid` is blocked on the migration lock (not merely still starting)."""
    if backend == "sqlite":  # a blocked flock shows in /proc/locks as "-> FLOCK ... <pid>"
        return any(line.split()[1:3] == ["->", "FLOCK"] and str(pid) in line.split()
                   for line in Path("/proc/locks").read_text().splitlines())
    engine = create_engine(url)
    with engine.connect() as conn:
        waiting = conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )).scalar_one()
    engine.dispose()
    return bool(waiting)


def test_migration_waits_for_the_lock(backend: str, tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    """The lock is real: while another process holds it, upgrade-db waits on it and migrates
    nothing; it migrates once the lock is let go. Fails if upgrade-db runs without waiting."""
    from engage.migrating import migration_lock

    url = _empty_database(backend, tmp_path, request)
    engine = create_engine(url)
    with migration_lock(engine, str(tmp_path)):
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "engage", "upgrade-db"],
                                cwd=REPO, env=server_env(url), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while not _waits_for_lock(backend, url, proc.pid):
            assert proc.poll() is None, "upgrade-db ran without waiting for the lock: " + \
                proc.communicate()[0]
            assert time.monotonic() < deadline, "upgrade-db never reached the lock"
            time.sleep(0.1)
        time.sleep(1)
        assert proc.poll() is None, proc.communicate()[0]
        assert not _has_table(url)
    out = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0, out
    assert "Migrated the database from empty" in out
    assert len(_revisions(url)) == 1
    engine.dispose()


def _has_table(url: str) -> bool:
    engine = create_engine(url)
    found = inspect(engine).has_table("alembic_version")
    engine.dispose()
    return found


def test_gunicorn_workers_boot_on_an_empty_database(backend: str, tmp_path: Path,
                                                    request: pytest.FixtureRequest) -> None:
    """deploy/gunicorn.conf.py migrates in the master before forking three workers."""
    url = _empty_database(backend, tmp_path, request)
    server = Gunicorn(server_env(url, TMPDIR=str(tmp_path)), workers=3,
                      log=tmp_path / "boot.log", config=str(REPO / "deploy/gunicorn.conf.py"))
    try:
        server.wait_up()
        deadline = time.monotonic() + 30
        while len(server.workers()) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(server.workers()) == 3
        resident = Resident(server.port)
        assert resident.request("GET", "/")[0] == 200
    finally:
        server.stop()
    assert len(_revisions(url)) == 1
    log = (tmp_path / "boot.log").read_text()
    assert log.count("database revision") == 1, log
