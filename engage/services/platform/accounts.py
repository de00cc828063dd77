"""Staff accounts: creating them, signing in and out, and server-side session checks (S4-S7)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from engage.extensions import db
from engage.models import ROLES, StaffSession, User
from engage.models._types import utcnow
from engage.services.platform import audit, throttle
from engage.services.platform.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError


class AccountError(DomainError):
    """A use-case failure with a code the web layer turns into a message."""


def normalise_email(email: str) -> str:
    """Lower-case and trim an email address for storage and lookup."""
    return email.strip().lower()


def create_user(email: str, role: str, password: str, name: str = "", organisation: str = "",
                actor: User | None = None) -> User:
    """Create a staff account after checking role, uniqueness and the password policy."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError("unknown_role")
    if "@" not in email or len(email) > 254:
        raise AccountError("bad_email")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)

    def work() -> User:
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise AccountError("email_taken")
        user = User(email=email, role=role, name=name, organisation=organisation,
                    password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        audit.record("user.create", actor=actor, object_type="user", object_id=user.id,
                     detail={"role": role})
        return user

    return in_transaction(work)


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the user and the raw session token for the cookie."""

    user: User
    token: str


def token_hash(token: str) -> str:
    """How a session token is stored: its SHA-256, so the table cannot be replayed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(email: str, password: str, ip_address: str = "") -> User | None:
    """Check credentials and audit a failure; no session is opened yet (a second step may
    follow: see open_session)."""
    email = normalise_email(email)
    user: User | None = db.session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        # Committed in its own transaction: the failure stays on record whatever follows
        # (the sign-in throttle may still refuse the attempt).
        object_id = user.id if user else ""
        reason = "inactive" if (ok and user) else "bad_credentials"
        in_transaction(lambda: audit.record(
            "auth.login_failed", actor_label=email[:254], ip_address=ip_address,
            object_type="user", object_id=object_id, detail={"reason": reason}))
        return None
    if needs_rehash(user.password_hash):
        rehashed = hash_password(password)

        def rehash() -> None:
            user.password_hash = rehashed

        in_transaction(rehash)
    return user


def check_password_throttled(email: str, password: str, ip_address: str = "") -> User | None:
    """check_password under the sign-in throttles, counted in the database per account and
    per address (S7, S23); raises throttle.Throttled."""
    return throttle.guard(throttle.PASSWORD, normalise_email(email), ip_address,
                          throttle.sign_in_limits(),
                          lambda: check_password(email, password, ip_address))


def open_session(user: User, ip_address: str = "", second_step: str = "") -> SignIn:
    """Complete a sign-in: open a new server-side session and audit the login."""
    token = secrets.token_urlsafe(32)
    now = utcnow()

    def work() -> None:
        db.session.add(StaffSession(token_hash=token_hash(token), user_id=user.id,
                                    created_at=now, last_seen_at=now))
        user.last_login_at = now
        audit.record("auth.login", actor=user, ip_address=ip_address, object_type="user",
                     object_id=user.id,
                     detail={"second_step": second_step} if second_step else None)

    in_transaction(work)
    return SignIn(user=user, token=token)


def sign_in(email: str, password: str, ip_address: str = "") -> SignIn | None:
    """Password-only sign-in (scripts and tests): check, open a session, audit. None for a
    wrong password, and for an account with two-step verification on, which must finish
    through the two-step page."""
    user = check_password(email, password, ip_address)
    if user is None or user.two_step_on:
        return None
    return open_session(user, ip_address)


def resolve_session(token: str | None, user_id: str | None, idle: timedelta,
                    absolute: timedelta, now: datetime | None = None) -> User | None:
    """Return the signed-in user if the session is live, ending it when it has timed out."""
    if not token or not user_id:
        return None
    now = now or utcnow()
    row: StaffSession | None = db.session.scalar(select(StaffSession).where(
        StaffSession.token_hash == token_hash(token), StaffSession.ended_at.is_(None)))
    if row is None or str(row.user_id) != str(user_id) or not row.user.active:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        ended = row

        def end() -> None:
            ended.ended_at = now

        in_transaction(end)
        return None
    # Touch at most once a minute so a busy page does not write on every request.
    if now - row.last_seen_at > timedelta(minutes=1):
        touched = row

        def touch() -> None:
            touched.last_seen_at = now

        in_transaction(touch)
    return row.user


def sign_out(token: str | None, user: User | None, ip_address: str = "") -> None:
    """End the server-side session so the old cookie no longer works."""
    def work() -> None:
        if token:
            db.session.execute(update(StaffSession)
                               .where(StaffSession.token_hash == token_hash(token))
                               .values(ended_at=utcnow()))
        if user is not None:
            audit.record("auth.logout", actor=user, ip_address=ip_address,
                         object_type="user", object_id=user.id)

    in_transaction(work)


def all_users() -> list[User]:
    """Every staff account, by email address."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def change_user(actor: User, user: User, role: str, active: bool, ip_address: str = "") -> bool:
    """Change an account's role or whether it may sign in; one audit row (S18). Ends the
    account's open sessions so the change applies at once. False when nothing changed."""
    if role not in ROLES:
        raise AccountError("unknown_role")

    def work() -> bool:
        if user.id == actor.id and (role != user.role or not active):
            raise AccountError("own_account")
        if (role, active) == (user.role, user.active):
            return False
        before = {"role": user.role, "active": user.active}
        user.role, user.active = role, active
        db.session.execute(update(StaffSession).where(
            StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow()))
        audit.record("user.role_change" if before["role"] != role else "user.access_change",
                     actor=actor, object_type="user", object_id=user.id, ip_address=ip_address,
                     detail={"before": before, "after": {"role": role, "active": active}})
        return True

    return in_transaction(work)
