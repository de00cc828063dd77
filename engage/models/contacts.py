"""Contact lists for survey invitations (issue 19): who was invited to a survey, by email or
text message, the single-use links they were sent (only each token's SHA-256 is kept), whether
they have responded or opted out, and scheduled reminders.

A contact records only *whether* its person responded (a flag, no time): a response row never
names a contact, so an anonymous survey's answers cannot be joined back to the list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

DELIVERY_STATES: tuple[str, ...] = ("pending", "sent", "delivered", "failed", "bounced",
                                    "not_sent")
# The languages a contact's messages can be sent in (the service's own languages).
CONTACT_LANGUAGES: tuple[str, ...] = ("en", "bn")


class SurveyContact(db.Model):  # type: ignore[name-defined,misc]
    """One person on a survey's contact list (personal data: retention and erasure apply)."""

    __tablename__ = "survey_contacts"
    __table_args__ = (
        CheckConstraint("email <> '' OR mobile <> ''", name="email_or_mobile"),
        CheckConstraint("delivery IN (" + ", ".join(f"'{s}'" for s in DELIVERY_STATES) + ")",
                        name="delivery_known"),
        CheckConstraint("language IN (" + ", ".join(f"'{s}'" for s in CONTACT_LANGUAGES)
                        + ")", name="language_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    ward: Mapped[str] = mapped_column(String(64), default="")
    # The language their invitation and reminders are written in.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last message's outcome: SMTP refusals and GOV.UK Notify statuses are written here.
    delivery: Mapped[str] = mapped_column(String(16), default="pending")
    delivery_detail: Mapped[str] = mapped_column(String(200), default="")
    notify_id: Mapped[str] = mapped_column(String(64), default="")
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    # Only a flag: never when, never which response.
    responded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<SurveyContact {self.id} survey={self.survey_id} {self.delivery}>"


class ContactLink(db.Model):  # type: ignore[name-defined,misc]
    """A link mailed to a contact (one per message): the SHA-256 of its random token. Every
    link of a contact stops working once the contact has responded or opted out."""

    __tablename__ = "contact_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("survey_contacts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<ContactLink {self.id} contact={self.contact_id}>"


class ContactReminder(db.Model):  # type: ignore[name-defined,misc]
    """A reminder to a survey's contacts who have not responded, due at a time; ``flask
    send-reminders`` (from cron) sends those due and records the job."""

    __tablename__ = "contact_reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"),
                                               nullable=True)

    def __repr__(self) -> str:
        return f"<ContactReminder {self.id} survey={self.survey_id} due={self.due_at}>"
