"""What the public sees of consultations: the list (search, filters, pages), one consultation's
page and, once its results are published, its results. Drafts are never shown; results come
from the insight report's services, so only approved themes, counts of people and
small-number suppression reach the page (results_policy.min_count)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from engage.extensions import db
from engage.models import (
    Consultation,
    ConsultationDocument,
    ConsultationUpdate,
    ConsultationWard,
    MayorTopic,
    Survey,
)
from engage.models.consultations import consultation_topics
from engage.services.collect.published_surveys import SurveyNotFound, published_survey
from engage.services.platform import paging, results_policy
from engage.services.report import insight_report as report
from engage.services.report import you_said
from surveys.errors import NotFound

PER_PAGE = 20
PUBLIC = ("published", "closed", "results")
STATUS_FILTERS = {"open": "published", "closed": "closed", "results": "results"}


@dataclass(frozen=True)
class Filters:
    """The list's search and filters, already checked against what exists."""

    search: str = ""
    status: str = ""
    topic: str = ""
    ward: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class ListPage:
    """One page of the list."""

    items: list[Consultation]
    total: int
    page: int
    pages: int


def _where(filters: Filters) -> list[object]:
    clauses: list[object] = [Consultation.status.in_(PUBLIC)]
    if filters.status in STATUS_FILTERS:
        clauses.append(Consultation.status == STATUS_FILTERS[filters.status])
    if filters.organisation:
        clauses.append(Consultation.organisation == filters.organisation)
    if filters.ward:
        clauses.append(exists().where(ConsultationWard.consultation_id == Consultation.id,
                                      ConsultationWard.ward == filters.ward))
    if filters.topic:
        clauses.append(exists().where(
            consultation_topics.c.consultation_id == Consultation.id,
            consultation_topics.c.topic_id == MayorTopic.id, MayorTopic.slug == filters.topic))
    if filters.search:
        escaped = (filters.search.replace("\\", "\\\\").replace("%", "\\%")
                   .replace("_", "\\_"))
        like = f"%{escaped.lower()}%"
        clauses.append(or_(*(func.lower(column).like(like, escape="\\") for column in (
            Consultation.title_en, Consultation.title_bn, Consultation.summary_en,
            Consultation.summary_bn, Consultation.organisation))))
    return clauses


def list_page(filters: Filters, page: int = 1) -> ListPage:
    """Open consultations first (closing soonest first), then those awaiting results, then
    those with results (newest first)."""
    where = and_(*_where(filters))  # type: ignore[arg-type]
    total = db.session.scalar(select(func.count(Consultation.id)).where(where)) or 0
    shown = paging.window(total, page, PER_PAGE)
    rank = case({"published": 0, "closed": 1}, value=Consultation.status, else_=2)
    soonest = case((Consultation.status == "published", Consultation.closes_on), else_=None)
    items = list(db.session.scalars(shown.of(
        select(Consultation).where(where)
        .order_by(rank, soonest.asc(), Consultation.closes_on.desc(), Consultation.id.desc()))))
    return ListPage(items, total, shown.page, shown.pages)


def stamp() -> tuple[int, str]:
    """Changes whenever any consultation does (count and newest change), for page caches."""
    count, newest = db.session.execute(
        select(func.count(Consultation.id), func.max(Consultation.updated_at))).one()
    return int(count or 0), str(newest)


def organisations() -> list[str]:
    """Partner organisations that run a public consultation, A to Z."""
    return list(db.session.scalars(
        select(Consultation.organisation).where(Consultation.status.in_(PUBLIC))
        .distinct().order_by(Consultation.organisation)))


def by_slug(slug: str) -> Consultation:
    """A public consultation; NotFound for drafts and unknown addresses."""
    found: Consultation | None = db.session.scalar(
        select(Consultation).where(Consultation.slug == slug, Consultation.status.in_(PUBLIC))
        .options(selectinload(Consultation.surveys), selectinload(Consultation.topics),
                 selectinload(Consultation.wards), selectinload(Consultation.events)))
    if found is None:
        raise NotFound(slug)
    return found


def for_survey(survey_slug: str) -> str | None:
    """The slug of the public consultation a survey belongs to (one with results first, then
    the newest), if any."""
    return db.session.scalar(
        select(Consultation.slug).join(Consultation.surveys)
        .where(Survey.slug == survey_slug, Consultation.status.in_(PUBLIC))
        .order_by((Consultation.status == "results").desc(), Consultation.id.desc())
        .limit(1))


def documents_of(consultation_id: int) -> list[ConsultationDocument]:
    """The consultation's documents (without their content)."""
    return list(db.session.scalars(select(ConsultationDocument).where(
        ConsultationDocument.consultation_id == consultation_id)
        .order_by(ConsultationDocument.id)))


def documents_stamp(consultation_id: int) -> tuple[int, int]:
    """Changes when a document is added or removed."""
    count, newest = db.session.execute(
        select(func.count(ConsultationDocument.id), func.max(ConsultationDocument.id))
        .where(ConsultationDocument.consultation_id == consultation_id)).one()
    return int(count or 0), int(newest or 0)


def document(slug: str, document_id: int) -> ConsultationDocument:
    """An uploaded document of a public consultation, with its content; NotFound."""
    consultation = by_slug(slug)
    found = db.session.get(ConsultationDocument, document_id)
    if found is None or found.consultation_id != consultation.id or not found.size:
        raise NotFound(document_id)
    return found


@dataclass(frozen=True)
class SurveyLink:
    """A survey residents can answer (open) or could answer."""

    slug: str
    title: str
    open: bool


def survey_links(consultation: Consultation, lang: str, today: date) -> list[SurveyLink]:
    """The consultation's surveys, each marked open when residents can answer it now. Surveys
    by invitation only are left out: residents reach those by their invitation's link."""
    links = []
    for survey in consultation.surveys:
        if survey.invitation_only:
            continue
        try:
            found = published_survey(survey.slug)
        except SurveyNotFound:
            continue
        closed = found.closes_at is not None and found.closes_at.date() <= today
        links.append(SurveyLink(survey.slug, found.definition.text(found.definition.title, lang),
                                not closed and consultation.status == "published"))
    return links


@dataclass
class SurveyResults:
    """One survey's public results: the insight report with only what may be public."""

    title: str
    took_part: int
    report: report.Report


@dataclass
class Results:
    """A consultation's results, decisions and updates."""

    surveys: list[SurveyResults] = field(default_factory=list)
    updates: list[you_said.Update] = field(default_factory=list)
    next_steps: you_said.Update | None = None
    min_count: int = 10


def results(consultation: Consultation, lang: str) -> Results | None:
    """The public results (None until staff publish them): approved themes only, counted in
    people, none from fewer than min_count people, no quotes; figures from the report."""
    if consultation.status != "results":
        return None
    least = results_policy.min_count()
    found = Results(min_count=least)
    for survey in consultation.surveys:
        try:
            built = report.build_report(survey.slug, lang)
        except NotFound:
            continue
        built.themes = [replace(t, quotes=[]) for t in built.themes if t.size >= least]
        built.equity = []
        found.surveys.append(SurveyResults(built.title, you_said.rounded(built.responses),
                                           built))
    ids = [s.id for s in consultation.surveys]
    if ids:
        rows = db.session.scalars(select(ConsultationUpdate).where(
            ConsultationUpdate.survey_id.in_(ids))
            .order_by(ConsultationUpdate.created_at.desc(), ConsultationUpdate.id.desc()))
        updates = [you_said.localised(r, lang) for r in rows]
        found.next_steps = next((u for u in updates if u.kind == "next_steps"), None)
        found.updates = [u for u in updates if u.kind == "update"]
    return found


def open_data() -> list[dict[str, str | None]]:
    """Every public consultation for /api/v1/consultations: no personal data, nothing that is
    not on the public pages."""
    rows = db.session.execute(
        select(Consultation.slug, Consultation.title_en, Consultation.status,
               Consultation.organisation, Consultation.opens_on, Consultation.closes_on,
               Consultation.results_at)
        .where(Consultation.status.in_(PUBLIC)).order_by(Consultation.id)).all()
    names = {"published": "open", "closed": "closed", "results": "results"}
    return [{"slug": slug, "title": title, "status": names[status],
             "organisation": organisation, "opens_on": opens.isoformat(),
             "closes_on": closes.isoformat(),
             "results_published_on": results_at.date().isoformat() if results_at else None}
            for slug, title, status, organisation, opens, closes, results_at in rows]
