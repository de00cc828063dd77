"""Staff accounts by invitation, and "forgot password" (issue 19; S6, S7, S18).

Both send a single-use link by email. Only the SHA-256 of a link's token is stored; a link
works once (a guarded UPDATE marks it used), until it expires, and a newer link of the same
kind replaces it. Setting a password from either ends every session the account had.
"""

from __future__ import annotations

import secrets
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from engage import links, mail
from engage.extensions import db
from engage.models import ROLES, AccountToken, StaffSession, User
from engage.models._types import utcnow
from engage.services.platform import audit, throttle
from engage.services.platform.accounts import AccountError, normalise_email, token_hash
from engage.services.platform.passwords import equalise_work, hash_password, password_problem
from engage.services.platform.transactions import changed_rows, in_transaction

INVITE = "invite"
RESET = "reset"
RESET_SCOPE = "reset"


def _new_token(user: User, purpose: str, lifetime: timedelta) -> str:
    """Replace any live link of this kind with a new one; return the raw token."""
    now = utcnow()
    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None)).values(used_at=now))
    raw = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=token_hash(raw),
                                created_at=now, expires_at=now + lifetime))
    return raw


def _end_sessions(user: User) -> None:
    db.session.execute(update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None)).values(ended_at=utcnow()))


def _invite_lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["INVITATION_DAYS"]))


def _send_invitation(user: User, raw: str, actor: User) -> bool:
    link = links.public_url("auth.accept_invitation", token=raw)
    days = int(current_app.config["INVITATION_DAYS"])
    service = current_app.config["SERVICE_NAME"]
    with force_locale("en"):
        body = _("%(name)s has invited you to use %(service)s.\n\nTo set your password, open "
                 "this link:\n%(link)s\n\nThe link works once and expires in %(days)d days. "
                 "If you were not expecting this email, you can ignore it.",
                 name=actor.name or actor.email, service=service, link=link, days=days)
        subject = _("You have been invited to %(service)s", service=service)
    return mail.send_mail(user.email, subject, body)


def invite(actor: User, email: str, role: str, organisation: str = "", name: str = "",
           ip_address: str = "") -> tuple[User, bool]:
    """Create an invited account and email its link; (the account, whether the mail went)."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError("unknown_role")
    if "@" not in email or len(email) > 254:
        raise AccountError("bad_email")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email_taken")

    def work() -> tuple[User, str]:
        user = User(email=email, role=role, name=name.strip(), organisation=organisation.strip(),
                    password_hash="", active=True, invited_at=utcnow())
        db.session.add(user)
        db.session.flush()
        raw = _new_token(user, INVITE, _invite_lifetime())
        audit.record("user.invite", actor=actor, object_type="user", object_id=user.id,
                     ip_address=ip_address,
                     detail={"role": role, "organisation": user.organisation})
        return user, raw

    user, raw = in_transaction(work)
    return user, _send_invitation(user, raw, actor)


def resend(actor: User, user: User, ip_address: str = "") -> bool:
    """A new invitation link (the old one stops working); False when the mail did not go."""
    if not user.invitation_pending:
        raise AccountError("not_invited")

    def work() -> str:
        user.active = True
        raw = _new_token(user, INVITE, _invite_lifetime())
        audit.record("user.invite_resend", actor=actor, object_type="user", object_id=user.id,
                     ip_address=ip_address)
        return raw

    return _send_invitation(user, in_transaction(work), actor)


def revoke(actor: User, user: User, ip_address: str = "") -> None:
    """Withdraw an invitation: its link stops working and the account may not sign in."""
    if not user.invitation_pending:
        raise AccountError("not_invited")

    def work() -> None:
        db.session.execute(update(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
            .values(used_at=utcnow()))
        user.active = False
        audit.record("user.invite_revoke", actor=actor, object_type="user", object_id=user.id,
                     ip_address=ip_address)

    in_transaction(work)


def user_for_token(purpose: str, raw: str) -> User | None:
    """The account a live link of this kind belongs to, or None (unknown, used, expired,
    or the account may not sign in)."""
    row = db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == token_hash(raw or ""), AccountToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if purpose == INVITE and not user.invitation_pending:
        return None
    return user


def set_password(purpose: str, raw: str, password: str, ip_address: str = "") -> User:
    """Use a link to set the account's password: once only; every session of the account
    ends. Raises AccountError('link') for a dead link, or a password policy code."""
    user = user_for_token(purpose, raw)
    if user is None:
        raise AccountError("link")
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    new_hash = hash_password(password)

    def work() -> User:
        used = changed_rows(update(AccountToken).where(
            AccountToken.token_hash == token_hash(raw), AccountToken.used_at.is_(None))
            .values(used_at=utcnow()))
        if used != 1:
            raise AccountError("link")  # used by a request that got there first
        user.password_hash = new_hash
        user.invited_at = None
        _end_sessions(user)
        action = "user.invite_accepted" if purpose == INVITE else "auth.password_reset"
        audit.record(action, actor=user, object_type="user", object_id=user.id,
                     ip_address=ip_address)
        return user

    return in_transaction(work)


def _send_reset(app: object, to: str, link: str) -> None:
    with app.app_context():  # type: ignore[attr-defined]
        minutes = int(current_app.config["RESET_MINUTES"])
        service = current_app.config["SERVICE_NAME"]
        with force_locale("en"):
            subject = _("Reset your %(service)s password", service=service)
            body = _("Someone asked to reset the password of your %(service)s account.\n\nTo "
                     "choose a new password, open this link:\n%(link)s\n\nThe link works once "
                     "and expires in %(minutes)d minutes. If you did not ask, you can ignore "
                     "this email: your password has not changed.",
                     service=service, link=link, minutes=minutes)
        mail.send_mail(to, subject, body)


# Threads sending reset emails, so tests can wait for them.
senders: list[threading.Thread] = []


def request_reset(email: str, ip_address: str = "") -> None:
    """Send a reset link if the address belongs to an account that may sign in; do the same
    work (a password-hash's worth of time, one throttle row, a token) and return the same way
    whether or not it does, so nothing tells which. The email leaves in a background thread,
    so the mail server's time does not show either. Raises throttle.Throttled."""
    email = normalise_email(email)
    limits = throttle.Limits(account=current_app.config["RESET_ACCOUNT_LIMIT"],
                             address=current_app.config["LOGIN_IP_LIMIT"])

    def check() -> None:
        user = db.session.scalar(select(User).where(User.email == email))
        raw = secrets.token_urlsafe(32)
        equalise_work(raw)
        if user is None or not user.active or user.invitation_pending:
            return None
        lifetime = timedelta(minutes=int(current_app.config["RESET_MINUTES"]))

        def work() -> str:
            raw_token = _new_token(user, RESET, lifetime)
            audit.record("auth.reset_requested", actor=user, object_type="user",
                         object_id=user.id, ip_address=ip_address)
            return raw_token

        link = links.public_url("auth.reset_password", token=in_transaction(work))
        sender = threading.Thread(target=_send_reset, daemon=True,
                                  args=(current_app._get_current_object(),  # type: ignore[attr-defined]
                                        user.email, link))
        senders[:] = [t for t in senders if t.is_alive()] + [sender]
        sender.start()
        return None  # every request counts towards the limits

    throttle.guard(RESET_SCOPE, email, ip_address, limits, check)
