"""What of the theme analysis may reach the public (S24): the published run and its quotes.

A survey's public page, the insight report, the Themes sheet and the partner API read the
*published run*: the newest successful run with this survey's texts in which an analyst has
approved a theme (an ``approve`` edit that has not been undone). Only that run's approved, active
themes are shown, under the label and description staff gave them. A new analysis run therefore
changes nothing public by itself: its carried themes are approved for the engine's sake, but the
public pages move to it only when an analyst approves a theme in it.

Quotes reach those surfaces only when an analyst marked the quote publishable (audited, and
reversible with the same action).
"""

from __future__ import annotations

from sqlalchemy import exists, select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Theme, ThemeEdit, ThemeQuote, ThemeRun, User
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError


class QuoteError(DomainError):
    """The quote cannot be marked; ``code`` names why (``inactive``)."""


def published_run(survey_id: int) -> ThemeRun | None:
    """The run whose approved themes the public sees for this survey (None: nothing approved).
    Each candidate run (newest first) is asked for one text of the survey: the planner then
    stops at the first, where one query over every run's texts hashed all of them (95 ms at
    60,000 texts, on every view of the report)."""
    approved_here = exists().where(
        ThemeEdit.run_id == ThemeRun.id, ThemeEdit.kind == "approve",
        ThemeEdit.undone_at.is_(None))
    candidates = db.session.scalars(
        select(ThemeRun).where(ThemeRun.status == "succeeded", approved_here)
        .order_by(ThemeRun.id.desc())).all()
    for run in candidates:
        if db.session.scalar(
                select(RunText.run_id).join(AnalysisText, AnalysisText.id == RunText.text_id)
                .where(RunText.run_id == run.id, AnalysisText.survey_id == survey_id,
                       AnalysisText.source == "survey").limit(1)) is not None:
            return run
    return None


def set_publishable(quote: ThemeQuote, user: User, publishable: bool) -> None:
    """Mark a quote publishable (it may then reach public surfaces), or withdraw it; audited."""

    def work() -> None:
        theme = db.session.get(Theme, quote.theme_id)
        if theme is None or not theme.active:
            raise QuoteError("inactive")
        quote.publishable = publishable
        quote.publishable_by_id = user.id if publishable else None
        quote.publishable_at = utcnow() if publishable else None
        audit.record("themes.quote_publish" if publishable else "themes.quote_withdraw",
                     actor=user, object_type="theme_quote", object_id=quote.id,
                     detail={"theme_id": theme.id, "run_id": theme.run_id,
                             "text_id": quote.text_id})

    in_transaction(work)
