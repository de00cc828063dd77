"""Short transactions that retry when the database is briefly locked or busy (R4)."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.exc import OperationalError

from engage.extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE = ("database is locked", "deadlock detected", "could not serialize",
             "database table is locked", "lock timeout")


class DatabaseUnavailable(RuntimeError):
    """The database stayed locked or unreachable: the caller shows a 503 and keeps the input."""


def changed_rows(statement: Executable) -> int:
    """Run an UPDATE or DELETE in the current transaction; how many rows it changed."""
    return int(cast("CursorResult[Any]", db.session.execute(statement)).rowcount or 0)


def _retryable(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return any(marker in text for marker in RETRYABLE)


def in_transaction(work: Callable[[], T], attempts: int = 3, base_delay: float = 0.05) -> T:
    """Run work() and commit; roll back and retry with jitter when locked, else raise."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except OperationalError as exc:
            db.session.rollback()
            if attempt == attempts or not _retryable(exc):
                log.warning("database unavailable after %d attempt(s): %s", attempt,
                            type(exc.orig).__name__ if exc.orig else type(exc).__name__)
                raise DatabaseUnavailable(str(type(exc).__name__)) from exc
            time.sleep(base_delay * (2 ** attempt) * random.uniform(0.5, 1.5))
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")  # pragma: no cover
