"""Hold a real write lock from another connection, as a staff process or a migration would (R4).

SQLite: `BEGIN IMMEDIATE` on the same file takes the one write lock; the app's writes wait out
their busy timeout and fail with "database is locked". PostgreSQL: an EXCLUSIVE lock on the
tables (readers go on); the app's writes wait out their lock_timeout and fail with "lock timeout".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

from engage.extensions import db


@contextmanager
def write_lock(*tables: str) -> Iterator[None]:
    """Hold the database's write lock (SQLite) or these tables' locks (PostgreSQL)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(make_url(url).database), isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = create_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            trans = conn.begin()
            for table in tables:
                conn.execute(text(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE'))
            try:
                yield
            finally:
                trans.rollback()
    finally:
        engine.dispose()
