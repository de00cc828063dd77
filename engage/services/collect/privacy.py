"""Retention and erasure of responses (P2), with everything derived from them.

A submitted response is kept for its survey version's retention period (``retention_days``, set
in the survey builder), counted from when it was submitted: its retention date is
``submitted_at + retention_days``. ``purge_expired_responses`` (the ``flask
purge-expired-surveys`` command, meant for a daily cron, and the ``privacy.purge_expired`` job)
deletes responses past that date. ``erase_response`` deletes one response by its reference, for a
resident who asks.

Both remove what was derived from a response, in the same transaction as the response itself:

- its free-text answers (``free_text_answers``) and any second keying of a paper sheet;
- the analysis texts made from those answers, and with them their theme memberships, run texts,
  representative quotes and flags (the themes' figures are recounted);
- any theme description, label, key phrase or priority-board copy that came from those texts
  (``themes.forget``: blanked, and the theme's approval withdrawn until an analyst reviews it);
- its weights in every weighting run.

Purging works in short batches, each its own transaction (R5), and writes one audit row per run
that deleted anything; an erasure writes exactly one audit row (S18). The audit row keeps the
reference and counts, never the answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    FreeTextAnswer,
    PaperRekey,
    Response,
    ResponseWeight,
    RunText,
    Survey,
    SurveyVersion,
    TextFlag,
    ThemeMembership,
    ThemeQuote,
    User,
)
from engage.models._types import utcnow
from engage.services.code.themes import forget
from engage.services.collect import contacts
from engage.services.platform import audit, jobs
from engage.services.platform.references import normalise_reference
from engage.services.platform.transactions import changed_rows, in_transaction
from surveys.errors import DomainError

PURGE_JOB_KIND = "privacy.purge_expired"
BATCH = 500


@dataclass
class Removed:
    """How many rows one deletion removed, by kind."""

    responses: int = 0
    free_texts: int = 0
    analysis_texts: int = 0
    weights: int = 0
    rekeys: int = 0

    def add(self, other: Removed) -> None:
        self.responses += other.responses
        self.free_texts += other.free_texts
        self.analysis_texts += other.analysis_texts
        self.weights += other.weights
        self.rekeys += other.rekeys

    def as_dict(self) -> dict[str, int]:
        return {"responses": self.responses, "free_texts": self.free_texts,
                "analysis_texts": self.analysis_texts, "weights": self.weights,
                "rekeys": self.rekeys}


@dataclass
class PurgeResult:
    """What a retention purge removed, in total and per survey slug."""

    removed: Removed = field(default_factory=Removed)
    by_survey: dict[str, int] = field(default_factory=dict)
    # invitation contacts past their list's retention (services/collect/contacts.py)
    contacts: int = 0


class ErasureError(DomainError):
    """The erasure cannot go ahead; ``code`` is ``bad_reference`` or ``not_found``."""


def retention_ends(response: Response, version: SurveyVersion) -> datetime | None:
    """The date after which a submitted response is deleted (None while not submitted)."""
    if response.submitted_at is None:
        return None
    return response.submitted_at + timedelta(days=version.retention_days)


def _delete_responses(ids: Sequence[int]) -> Removed:
    """Delete these responses and everything derived from them, in the current transaction."""
    removed = Removed()
    if not ids:
        return removed
    free_ids = list(db.session.scalars(
        select(FreeTextAnswer.id).where(FreeTextAnswer.response_id.in_(ids))))
    text_ids: list[int] = []
    if free_ids:
        text_ids = list(db.session.scalars(select(AnalysisText.id).where(
            AnalysisText.source == "survey",
            AnalysisText.source_id.in_([str(i) for i in free_ids]))))
    if text_ids:
        themes = forget.affected_themes(text_ids)
        erased = forget.erased_texts(text_ids)
        # The database cascades these too; deleting them here keeps it explicit and portable.
        for model in (ThemeQuote, ThemeMembership, TextFlag, RunText):
            db.session.execute(delete(model).where(model.text_id.in_(text_ids)))
        removed.analysis_texts = changed_rows(
            delete(AnalysisText).where(AnalysisText.id.in_(text_ids)))
        # Descriptions, labels, key phrases and board copies that came from them go too.
        forget.forget(themes, erased)
    removed.weights = changed_rows(
        delete(ResponseWeight).where(ResponseWeight.response_id.in_(ids)))
    removed.rekeys = changed_rows(delete(PaperRekey).where(PaperRekey.response_id.in_(ids)))
    removed.free_texts = changed_rows(
        delete(FreeTextAnswer).where(FreeTextAnswer.response_id.in_(ids)))
    removed.responses = changed_rows(delete(Response).where(Response.id.in_(ids)))
    return removed


def purge_expired_responses(now: datetime | None = None, batch: int = BATCH) -> PurgeResult:
    """Delete submitted responses past their survey version's retention date, with what was
    derived from them. Short batched transactions; one audit row if anything was deleted."""
    now = now or utcnow()
    result = PurgeResult()
    versions = db.session.execute(
        select(SurveyVersion.id, SurveyVersion.retention_days, Survey.slug)
        .join(Survey, Survey.id == SurveyVersion.survey_id)).all()
    for version_id, days, slug in versions:
        cutoff = now - timedelta(days=int(days))
        while True:
            def work(version_id: int = version_id, cutoff: datetime = cutoff) -> Removed:
                ids = list(db.session.scalars(
                    select(Response.id).where(
                        Response.survey_version_id == version_id,
                        Response.status == "submitted", Response.submitted_at < cutoff)
                    .order_by(Response.id).limit(batch)))
                return _delete_responses(ids)

            removed = in_transaction(work)
            if removed.responses:
                result.removed.add(removed)
                result.by_survey[slug] = result.by_survey.get(slug, 0) + removed.responses
            if removed.responses < batch:
                break
    if result.removed.responses:
        def log() -> None:
            audit.record("responses.retention_purge", actor_label="system:retention",
                         object_type="responses", object_id=result.removed.responses,
                         detail={**result.removed.as_dict(), "by_survey": result.by_survey,
                                 "now": now.isoformat()})

        in_transaction(log)
    result.contacts = contacts.purge_expired_contacts(now)
    return result


@dataclass
class ErasureTarget:
    """What staff see before confirming an erasure (never the answers themselves)."""

    reference: str
    survey_title: str
    channel: str
    submitted_at: datetime | None
    retention_ends: datetime | None
    free_texts: int


def find_for_erasure(text: str) -> ErasureTarget:
    """The submitted response with this reference, or ErasureError."""
    reference = normalise_reference(text)
    if reference is None:
        raise ErasureError("bad_reference")
    row = db.session.execute(
        select(Response, SurveyVersion).join(
            SurveyVersion, SurveyVersion.id == Response.survey_version_id)
        .where(Response.reference == reference)).first()
    if row is None:
        raise ErasureError("not_found")
    response, version = row
    free_texts = db.session.scalar(select(func.count()).select_from(FreeTextAnswer).where(
        FreeTextAnswer.response_id == response.id)) or 0
    return ErasureTarget(reference=reference, survey_title=version.title,
                         channel=response.channel, submitted_at=response.submitted_at,
                         retention_ends=retention_ends(response, version),
                         free_texts=int(free_texts))


def erase_response(text: str, actor: User, ip_address: str = "") -> Removed:
    """Delete the response with this reference and everything derived from it; one audit row."""
    reference = normalise_reference(text)
    if reference is None:
        raise ErasureError("bad_reference")

    def work() -> Removed:
        response_id = db.session.scalar(
            select(Response.id).where(Response.reference == reference))
        if response_id is None:
            raise ErasureError("not_found")
        survey_id = db.session.scalar(select(Response.survey_id).where(
            Response.id == response_id))
        removed = _delete_responses([response_id])
        audit.record("response.erase", actor=actor, object_type="response",
                     object_id=reference, ip_address=ip_address,
                     detail={**removed.as_dict(), "survey_id": survey_id})
        return removed

    return in_transaction(work)


@jobs.job_handler(PURGE_JOB_KIND)
def run_purge_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The retention purge as a background job (``now`` may be given as an ISO date-time)."""
    given = ctx.params.get("now")
    now = datetime.fromisoformat(str(given)) if given else None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    result = purge_expired_responses(now)
    return {**result.removed.as_dict(), "by_survey": result.by_survey,
            "contacts": result.contacts}
