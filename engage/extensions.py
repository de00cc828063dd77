"""Flask extensions, created here and bound to the app in create_app."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from engage.formatting import EngageBabel

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login = LoginManager()
babel = EngageBabel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


# How long one SQLite statement waits for another writer's lock. in_transaction tries three
# times, so a resident waits at most about three times this before the 503 page that keeps
# their answers (R4): a staff process holding the lock for 8 s must not leave people hanging.
_SQLITE_BUSY_MS = int(os.environ.get("ENGAGE_SQLITE_BUSY_MS", "1500"))
_SQLITE_SYNCHRONOUS = (
    "FULL" if os.environ.get("ENGAGE_SQLITE_SYNCHRONOUS", "").upper() == "FULL" else "NORMAL")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: WAL so readers never block the writer, foreign keys on, a bounded lock wait."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
    # NORMAL in WAL mode: a commit survives the process being killed (R1); only a power cut or
    # an operating-system crash can lose the last commits. ENGAGE_SQLITE_SYNCHRONOUS=FULL
    # trades speed for that too; at scale, use PostgreSQL.
    cursor.execute(f"PRAGMA synchronous={_SQLITE_SYNCHRONOUS}")
    cursor.close()
