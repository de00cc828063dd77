"""Run the database migrations once, however many processes start at the same time (R6).

`flask --app engage upgrade-db` takes a lock first: a PostgreSQL advisory lock, or a file lock
next to the SQLite database. The first process migrates; the others wait, then find the
database already at the newest revision and do nothing. Workers never create tables: run this
before starting them (deploy/gunicorn.conf.py does it in gunicorn's master, before forking).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path

from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
ADVISORY_KEY = 0x656E67616765  # "engage": one lock id for every Engage deployment's migrations


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def migration_lock(engine: Engine, instance_path: str) -> Iterator[None]:
    """Hold the migration lock for this database for the duration of the block."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    else:
        lock_path = Path(instance_path) / "migrate.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_once(app: Flask) -> tuple[str | None, str | None]:
    """Migrate to the newest revision under the lock; return the revisions before and after."""
    from flask_migrate import upgrade

    from engage.extensions import db

    with app.app_context():
        engine = db.engine
        with migration_lock(engine, app.instance_path):
            before = _revision(engine)
            upgrade()
            after = _revision(engine)
        engine.dispose()
    if before != after:
        log.info("database migrated from %s to %s", before or "empty", after)
    return before, after
