"""Staff accounts and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

# Role codes in the order of the staff admin list. Labels live in engage.forms.messages.
ROLES: tuple[str, ...] = (
    "admin",
    "engagement_officer",
    "analyst",
    "moderator",
    "group_member",
    "partner_viewer",
    "interviewer",
)


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="role_known"
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("(totp_secret IS NULL AND totp_enabled_at IS NULL)"
                        " OR (totp_secret IS NOT NULL AND totp_enabled_at IS NOT NULL)",
                        name="totp_complete"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(32))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Two-step verification (S6): the TOTP key once confirmed, when it was turned on, and the
    # last 30-second time step a code was accepted for, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(32), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Ask the Mayor's "new since you last looked" (issue 15): the last look at the moderation
    # queue, and the one before it, the line questions are new against while paging.
    queue_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    queue_previous_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(),
                                                                    nullable=True)
    # Issue 19: when the account was invited and has not yet set a password (an invited
    # account has an empty password_hash, which no password matches).
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    sessions: Mapped[list[StaffSession]] = relationship(back_populates="user")

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def two_step_on(self) -> bool:
        """True when the account needs a code from an authenticator app to sign in."""
        return self.totp_secret is not None and self.totp_enabled_at is not None

    @property
    def invitation_pending(self) -> bool:
        """True while an invited person has not yet set their password."""
        return self.invited_at is not None

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of the roles (admins hold every role)."""
        return self.role == "admin" or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class StaffSession(db.Model):  # type: ignore[name-defined,misc]
    """A signed-in staff session, so that logout and time-outs hold on the server (S4)."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A TOTP key being set up in this session: kept here, not on the account, until the user
    # proves their app has it by entering a code.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(32), nullable=True)

    user: Mapped[User] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<StaffSession {self.id} user={self.user_id} ended={self.ended_at}>"


class RecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} user={self.user_id} used={self.used_at}>"


TOKEN_PURPOSES: tuple[str, ...] = ("invite", "reset")


class AccountToken(db.Model):  # type: ignore[name-defined,misc]
    """A single-use link sent by email: an invitation or a password reset (issue 19). Only the
    SHA-256 of the token is kept; used_at is set once, when it is used or replaced."""

    __tablename__ = "account_tokens"
    __table_args__ = (
        CheckConstraint("purpose IN ('invite', 'reset')", name="purpose_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<AccountToken {self.id} {self.purpose} user={self.user_id} used={self.used_at}>"
