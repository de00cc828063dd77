"""“You said, we did”: a public page per consultation (what we asked, how many took part, what
residents said in plain words, what the partnership decided, what happens next, and updates
added over time), and the staff action that adds an update."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import ConsultationUpdate, Response, Survey, User
from engage.services.collect.published_surveys import loaded_definition
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from engage.services.report import insight_sources
from surveys import localise
from surveys.errors import NotFound
from surveys.types import WARD_POSTCODE

ROUND_TO = 10
"""Public counts are rounded down to tens, so that a page never singles out one person."""


@dataclass(frozen=True)
class Update:
    """An update as shown in the reader's language (`lang` is the language it is written in)."""

    kind: str
    title: str
    body: str
    lang: str
    created_at: datetime


@dataclass
class Consultation:
    """Everything the public page shows."""

    slug: str
    title: str
    description: str
    questions: list[str]
    took_part: int
    themes: list[insight_sources.ThemeSummary] = field(default_factory=list)
    commented: int = 0
    decisions: list[insight_sources.Priority] = field(default_factory=list)
    next_steps: Update | None = None
    updates: list[Update] = field(default_factory=list)


def _update(row: ConsultationUpdate, lang: str) -> Update:
    if lang == "bn" and row.title_bn.strip() and row.body_bn.strip():
        return Update(row.kind, row.title_bn, row.body_bn, "bn", row.created_at)
    return Update(row.kind, row.title_en, row.body_en, "en", row.created_at)


def _rounded(count: int) -> int:
    return count - count % ROUND_TO


def consultation_slugs(lang: str) -> list[tuple[str, str]]:
    """(slug, title in the language) of every consultation with at least one update, newest
    update first."""
    newest = func.max(ConsultationUpdate.created_at)
    rows = db.session.execute(
        select(Survey, newest).join(ConsultationUpdate, ConsultationUpdate.survey_id == Survey.id)
        .group_by(Survey.id).order_by(newest.desc())).all()
    return [(s.slug, _title(s, lang)) for s, _ in rows]


def _title(survey: Survey, lang: str) -> str:
    if not survey.versions:
        return survey.slug
    definition = loaded_definition(survey.versions[-1])
    return localise(definition.title, lang, definition.language)


def consultation(slug: str, lang: str) -> Consultation:
    """The public page of a consultation; NotFound unless it exists and has an update."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise NotFound(slug)
    rows = list(db.session.scalars(select(ConsultationUpdate).where(
        ConsultationUpdate.survey_id == survey.id).order_by(ConsultationUpdate.created_at.desc(),
                                                             ConsultationUpdate.id.desc())))
    if not rows:
        raise NotFound(slug)
    definition = loaded_definition(survey.versions[-1])
    took_part = db.session.scalar(select(func.count(Response.id)).where(
        Response.survey_id == survey.id, Response.status == "submitted")) or 0
    updates = [_update(r, lang) for r in rows]
    themes = insight_sources.theme_summaries(survey.id, quotes=0)
    return Consultation(
        slug=slug, title=localise(definition.title, lang, definition.language),
        description=localise(definition.description, lang, definition.language)
        if definition.description else "",
        questions=[localise(q.title, lang, definition.language) for q in definition.questions
                   if not q.demographic and q.type != WARD_POSTCODE][:12],
        took_part=_rounded(took_part),
        themes=[t for t in themes if t.size >= ROUND_TO][:8],
        commented=_rounded(insight_sources.people_with_themes(survey.id)),
        decisions=insight_sources.shortlist(survey.id),
        next_steps=next((u for u in updates if u.kind == "next_steps"), None),
        updates=[u for u in updates if u.kind == "update"],
    )


def add_update(slug: str, kind: str, title_en: str, body_en: str, title_bn: str,
               body_bn: str, actor: User, ip_address: str = "") -> int:
    """Publish an update on a consultation's public page; audited. NotFound: no survey."""

    def work() -> int:
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        if survey is None:
            raise NotFound(slug)
        row = ConsultationUpdate(survey_id=survey.id, kind=kind, title_en=title_en.strip(),
                                 body_en=body_en.strip(), title_bn=title_bn.strip(),
                                 body_bn=body_bn.strip(), created_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
        audit.record("you_said.update", actor=actor, object_type="survey", object_id=survey.id,
                     ip_address=ip_address, detail={"update_id": row.id, "kind": kind})
        return int(row.id)

    return in_transaction(work)


def updates_for_staff(slug: str) -> tuple[str, list[ConsultationUpdate]]:
    """A survey's title and every update, newest first (for the staff page)."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise NotFound(slug)
    return survey.versions[-1].title, list(db.session.scalars(
        select(ConsultationUpdate).where(ConsultationUpdate.survey_id == survey.id)
        .order_by(ConsultationUpdate.created_at.desc(), ConsultationUpdate.id.desc())))


def localised(row: ConsultationUpdate, lang: str) -> Update:
    """An update in the reader's language (Bengali when both its texts have it)."""
    return _update(row, lang)


def rounded(count: int) -> int:
    """A public count, rounded down to tens."""
    return _rounded(count)
