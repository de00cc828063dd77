"""Two-step verification for staff (S6): TOTP codes from an authenticator app (RFC 6238: 30 s
steps, 6 digits, SHA-1, one step of clock drift either way) and single-use recovery codes.

A code is accepted at most once: the account keeps the last time step it accepted, and only a
later step is taken, by one conditional UPDATE so that two workers cannot both accept it.
Recovery codes are kept only as hashes and used up by one conditional UPDATE too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from engage.extensions import db
from engage.models import RecoveryCode, StaffSession, User
from engage.models._types import utcnow
from engage.services.platform import audit, throttle
from engage.services.platform.accounts import AccountError, token_hash
from engage.services.platform.transactions import changed_rows, in_transaction

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
RECOVERY_LENGTH = 10  # about 50 bits each

# What a code may be, and what verify says it was.
APP = "app"
RECOVERY = "recovery_code"
EITHER = "either"

_SPACES = re.compile(r"[\s-]+")


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def new_secret() -> str:
    """A fresh random TOTP key: 160 bits in base32, as authenticator apps expect."""
    return pyotp.random_base32(32)


def grouped(secret: str) -> str:
    """The key in groups of 4 characters, for people who type it instead of scanning."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def setup_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(name=email, issuer_name=issuer)


QR_BORDER = 4
QR_MAX_PX = 280


def qr_svg(uri: str, title: str) -> str:
    """The QR code of the address as an inline <svg> element (no script, no external image)."""
    code = segno.make(uri, error="m", micro=False)
    # At most 280 px wide, so it fits a 320 px phone screen beside the page margins (a long
    # email address makes a bigger code), and never under 3 px a module, so it still scans.
    modules = code.symbol_size(scale=1, border=QR_BORDER)[0]
    scale = max(3, min(5, QR_MAX_PX // modules))
    svg = code.svg_inline(scale=scale, border=QR_BORDER, title=title, dark="#0b0c0c",
                          light="#ffffff", svgclass="app-qr-code")
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def normalise_code(entered: str) -> str:
    """The code without spaces or hyphens, lower case: '123 456' and 'ABCD-EFGH' both work."""
    return _SPACES.sub("", entered or "").lower()


def looks_like_app_code(entered: str) -> bool:
    """True for six digits (spaces allowed), the shape of a code from an authenticator app."""
    code = normalise_code(entered)
    return len(code) == DIGITS and code.isdigit()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step within the allowed drift whose code this is, or None."""
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Record the step as used unless it (or a later one) already was: the replay check."""
    if changed_rows(
        update(User)
        .where(User.id == user.id,
               (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{normalise_code(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, c),
                                    created_at=now) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _use_recovery_code(user: User, entered: str, now: datetime) -> bool:
    return changed_rows(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id,
               RecoveryCode.code_hash == _recovery_hash(user.id, entered),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)) == 1


def recovery_codes_left(user: User) -> int:
    """How many of the account's recovery codes are still unused."""
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _check(user: User, entered: str, now: datetime, kind: str) -> str | None:
    """APP or RECOVERY when the entry is a good code of an allowed kind (now used), else None."""
    if not user.two_step_on or user.totp_secret is None:
        return None
    code = normalise_code(entered)
    if kind in (APP, EITHER) and looks_like_app_code(code):
        step = _matching_step(user.totp_secret, code, now)
        return APP if step is not None and _take_step(user, step) else None
    if (kind in (RECOVERY, EITHER) and len(code) == RECOVERY_LENGTH
            and _use_recovery_code(user, code, now)):
        return RECOVERY
    return None


def _failed(user: User, ip_address: str, stage: str) -> None:
    """Audit a wrong code in the current transaction; the caller commits it before it refuses."""
    audit.record("auth.two_step_failed", actor=user, object_type="user", object_id=user.id,
                 ip_address=ip_address, detail={"stage": stage})


def verify(user: User, entered: str, kind: str = EITHER, ip_address: str = "",
           stage: str = "sign_in", now: datetime | None = None) -> str | None:
    """Check a code from the app or a recovery code (then used up); APP, RECOVERY or None.
    Audits a failure, and each recovery code used."""
    now = now or utcnow()

    def work() -> str | None:
        method = _check(user, entered, now, kind)
        if method is None:
            _failed(user, ip_address, stage)
            return None
        if method == RECOVERY:
            audit.record("auth.recovery_code_used", actor=user, object_type="user",
                         object_id=user.id, ip_address=ip_address,
                         detail={"stage": stage, "left": recovery_codes_left(user)})
        return method

    return in_transaction(work)


def verify_at_sign_in(user: User, entered: str, kind: str, ip_address: str = "") -> str | None:
    """verify() under the second step's throttles, counted in the database per account and
    per address (S6, S23); raises throttle.Throttled."""
    account = f"user:{user.id}"
    return throttle.guard(throttle.TWO_STEP, account, ip_address, throttle.two_step_limits(),
                          lambda: verify(user, entered, kind, ip_address=ip_address))


def _live_session(token: str | None, user: User) -> StaffSession | None:
    if not token:
        return None
    return db.session.scalar(select(StaffSession).where(
        StaffSession.token_hash == token_hash(token), StaffSession.user_id == user.id,
        StaffSession.ended_at.is_(None)))


def begin_setup(token: str | None, user: User) -> None:
    """Hold a fresh key on the signed-in session (not on the account) until it is confirmed."""
    secret = new_secret()

    def work() -> None:
        row = _live_session(token, user)
        if row is None or user.two_step_on:
            raise AccountError("no_setup")
        row.totp_pending_secret = secret

    in_transaction(work)


def pending_secret(token: str | None, user: User) -> str | None:
    """The key being set up in this session, if any."""
    row = _live_session(token, user)
    return row.totp_pending_secret if row is not None else None


def confirm_setup(token: str | None, user: User, entered: str, ip_address: str = "",
                  now: datetime | None = None) -> list[str]:
    """Turn two-step verification on once a code from the new key is right; return the
    recovery codes, shown once. AccountError('bad_code') when the code is wrong."""
    now = now or utcnow()

    def work() -> list[str] | None:
        row = _live_session(token, user)
        secret = row.totp_pending_secret if row is not None else None
        if row is None or secret is None or user.two_step_on:
            raise AccountError("no_setup")
        step = (_matching_step(secret, normalise_code(entered), now)
                if looks_like_app_code(entered) else None)
        if step is None:
            _failed(user, ip_address, "set_up")
            return None  # the failure is committed, then refused below
        user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, now, step
        row.totp_pending_secret = None
        codes = _new_recovery_codes(user, now)
        audit.record("auth.two_step_on", actor=user, object_type="user", object_id=user.id,
                     ip_address=ip_address)
        return codes

    codes = in_transaction(work)
    if codes is None:
        raise AccountError("bad_code")
    return codes


def _clear(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user: User, entered: str, ip_address: str = "",
             now: datetime | None = None) -> None:
    """Turn two-step verification off with a current code or a recovery code."""
    now = now or utcnow()

    def work() -> bool:
        method = _check(user, entered, now, EITHER)
        if method is None:
            _failed(user, ip_address, "turn_off")
            return False  # the failure is committed, then refused below
        _clear(user)
        audit.record("auth.two_step_off", actor=user, object_type="user", object_id=user.id,
                     ip_address=ip_address, detail={"with": method})
        return True

    if not in_transaction(work):
        raise AccountError("bad_code")


def replace_recovery_codes(user: User, entered: str, ip_address: str = "",
                           now: datetime | None = None) -> list[str]:
    """New recovery codes (the old ones stop working) after a current code from the app."""
    now = now or utcnow()

    def work() -> list[str] | None:
        if _check(user, entered, now, APP) is None:
            _failed(user, ip_address, "recovery_codes")
            return None  # the failure is committed, then refused below
        codes = _new_recovery_codes(user, now)
        audit.record("auth.recovery_codes_replaced", actor=user, object_type="user",
                     object_id=user.id, ip_address=ip_address)
        return codes

    codes = in_transaction(work)
    if codes is None:
        raise AccountError("bad_code")
    return codes


def reset_by_admin(actor: User, user: User, ip_address: str = "") -> None:
    """An administrator turns someone's two-step verification off (a lost phone): one audit
    row, and the account's open sessions end so the next sign-in is fresh."""
    if user.id == actor.id:
        raise AccountError("own_account")

    def work() -> None:
        if not user.two_step_on:
            raise AccountError("not_on")
        _clear(user)
        db.session.execute(update(StaffSession).where(
            StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow()))
        audit.record("user.two_step_reset", actor=actor, object_type="user", object_id=user.id,
                     ip_address=ip_address)

    in_transaction(work)
