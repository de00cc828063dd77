"""Sign-in and two-step throttles counted in the database (S7, S23).

The counts live in the one database every worker and host shares, so a limit of five holds
however many processes serve the requests, with or without Redis. Each attempt is written
(and committed) before it is checked, so even attempts that arrive at the same moment see each
other: the k-th attempt counts at least k rows, and at most the limit get through.

Two limits apply. Per account: an account (or an email address that has no account) that has
failed too often is refused, even with the right password. Per address: an address that has
failed too often is refused for every account that has failed too, but a correct password for
an account with no failures still signs in, so a burst of failures from a shared office or
library address can never lock out staff who have not failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app
from limits import parse_many
from sqlalchemy import ColumnElement, delete, func, select

from engage.extensions import db
from engage.models import SignInAttempt
from engage.models._types import utcnow
from engage.services.platform.transactions import in_transaction

T = TypeVar("T")

PASSWORD = "password"  # noqa: S105 - a scope name
TWO_STEP = "two-step"


class Throttled(Exception):
    """Too many failed attempts: the caller answers 429 without saying which limit."""


@dataclass(frozen=True)
class Limits:
    """The per-account and per-address limits, in the limits library's notation."""

    account: str
    address: str


def _windows(limit: str) -> list[tuple[int, timedelta]]:
    """(how many, within how long) for each part of a limit like '5 per 15 minutes'."""
    return [(item.amount, timedelta(seconds=item.get_expiry())) for item in parse_many(limit)]


def _counts(scope: str, where: ColumnElement[bool], limit: str,
            now: datetime) -> list[tuple[int, int]]:
    """(rows counted, rows allowed) for each window of the limit."""
    found = []
    for amount, window in _windows(limit):
        count = db.session.scalar(select(func.count(SignInAttempt.id)).where(
            SignInAttempt.scope == scope, where, SignInAttempt.at > now - window))
        found.append((int(count or 0), amount))
    return found


def _record(scope: str, account: str, address: str, now: datetime) -> int:
    def work() -> int:
        row = SignInAttempt(scope=scope, account=account[:254], address=address[:64], at=now)
        db.session.add(row)
        db.session.flush()
        return int(row.id)

    return in_transaction(work)


def _forget(attempt_id: int) -> None:
    in_transaction(lambda: db.session.execute(
        delete(SignInAttempt).where(SignInAttempt.id == attempt_id)))


def _prune(scope: str, limits: Limits, now: datetime) -> None:
    """Drop attempts older than the longest window: they can no longer count."""
    longest = max(window for limit in (limits.account, limits.address)
                  for _amount, window in _windows(limit))
    in_transaction(lambda: db.session.execute(delete(SignInAttempt).where(
        SignInAttempt.scope == scope, SignInAttempt.at <= now - longest)))


def guard(scope: str, account: str, address: str, limits: Limits,
          check: Callable[[], T | None]) -> T | None:
    """Run check() (a password or code check) unless a limit forbids it; keep a failure on
    record, forget a success. Raises Throttled (the attempt not checked, or failed while its
    address is over the limit) and DatabaseUnavailable."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return check()
    now = utcnow()
    attempt_id = _record(scope, account, address, now)
    by_account = _counts(scope, SignInAttempt.account == account[:254], limits.account, now)
    by_address = _counts(scope, SignInAttempt.address == address[:64], limits.address, now)
    account_over = any(count > amount for count, amount in by_account)
    account_failed = any(count > 1 for count, _amount in by_account)  # besides this attempt
    address_over = any(count > amount for count, amount in by_address)
    if account_over or (address_over and account_failed):
        _forget(attempt_id)
        raise Throttled
    try:
        result = check()
    except Exception:
        db.session.rollback()
        _forget(attempt_id)
        raise
    if result is not None:
        _forget(attempt_id)
        return result
    _prune(scope, limits, now)
    if address_over:
        raise Throttled
    return None


def sign_in_limits() -> Limits:
    """The password step's limits from the settings."""
    cfg = current_app.config
    return Limits(account=cfg["LOGIN_ACCOUNT_LIMIT"], address=cfg["LOGIN_IP_LIMIT"])


def two_step_limits() -> Limits:
    """The second step's limits from the settings."""
    cfg = current_app.config
    return Limits(account=cfg["TWO_STEP_LIMIT"], address=cfg["LOGIN_IP_LIMIT"])
