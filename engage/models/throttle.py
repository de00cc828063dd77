"""Sign-in attempts counted in the database, so throttles hold across workers and hosts (S23)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow


class SignInAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One failed sign-in or two-step attempt, or one being checked right now (a row is added
    before the check and removed when it succeeds or is throttled)."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_account", "scope", "account", "at"),
        Index("ix_sign_in_attempts_address", "scope", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # "password" or "two-step"
    account: Mapped[str] = mapped_column(String(254))  # the email typed, or the user's id
    address: Mapped[str] = mapped_column(String(64))  # the client address (after ProxyFix)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<SignInAttempt {self.id} {self.scope} at={self.at}>"
