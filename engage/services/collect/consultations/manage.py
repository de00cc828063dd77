"""Staff use cases: create and edit consultations, attach surveys, topics and wards, add events
and background documents, publish, close and publish results. Each writes one audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    Consultation,
    ConsultationDocument,
    ConsultationEvent,
    ConsultationWard,
    MayorTopic,
    Survey,
    User,
)
from engage.models._types import utcnow
from engage.services.collect.consultations import documents
from engage.services.collect.consultations.subscriptions import NOTIFY_JOB
from engage.services.platform import audit, jobs, results_policy
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound

TRANSITIONS: dict[str, tuple[str, str]] = {
    "publish": ("draft", "published"),
    "close": ("published", "closed"),
    "results": ("closed", "results"),
}
"""action → (from status, to status)."""


class SlugTaken(ValueError):
    """Another consultation already has this web address."""


class WrongStatus(ValueError):
    """The action does not apply to the consultation's current status."""


@dataclass
class ConsultationInput:
    """What staff type on the consultation form."""

    slug: str
    title_en: str
    organisation: str
    opens_on: date
    closes_on: date
    title_bn: str = ""
    summary_en: str = ""
    summary_bn: str = ""
    why_en: str = ""
    why_bn: str = ""
    next_en: str = ""
    next_bn: str = ""
    ways_en: str = ""
    ways_bn: str = ""
    survey_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    wards: list[str] = field(default_factory=list)


TEXTS = ("title_en", "title_bn", "summary_en", "summary_bn", "why_en", "why_bn", "next_en",
         "next_bn", "ways_en", "ways_bn", "organisation")


def get(consultation_id: int) -> Consultation:
    """A consultation by id; NotFound when there is none."""
    found = db.session.get(Consultation, consultation_id)
    if found is None:
        raise NotFound(consultation_id)
    return found


def staff_list() -> list[Consultation]:
    """Every consultation, newest first."""
    return list(db.session.scalars(select(Consultation).order_by(Consultation.id.desc())))


def _apply(row: Consultation, data: ConsultationInput) -> None:
    taken = db.session.scalar(select(Consultation.id).where(
        Consultation.slug == data.slug, Consultation.id != (row.id or 0)))
    if taken is not None:
        raise SlugTaken(data.slug)
    row.slug = data.slug
    for name in TEXTS:
        setattr(row, name, str(getattr(data, name) or "").strip())
    row.opens_on, row.closes_on = data.opens_on, data.closes_on
    row.updated_at = utcnow()  # links alone do not update the row: public pages key on this
    row.surveys = list(db.session.scalars(
        select(Survey).where(Survey.id.in_(data.survey_ids)))) if data.survey_ids else []
    row.topics = list(db.session.scalars(
        select(MayorTopic).where(MayorTopic.id.in_(data.topic_ids)))) if data.topic_ids else []
    wanted = sorted(set(data.wards))
    if [w.ward for w in row.wards] != wanted:
        row.wards = [ConsultationWard(ward=w) for w in wanted]


def create(data: ConsultationInput, actor: User, ip_address: str = "") -> int:
    """A new draft consultation; SlugTaken when the address is in use."""

    def work() -> int:
        row = Consultation(status="draft")
        _apply(row, data)
        db.session.add(row)
        db.session.flush()
        audit.record("consultation.create", actor=actor, object_type="consultation",
                     object_id=row.id, ip_address=ip_address, detail={"slug": row.slug})
        return int(row.id)

    return in_transaction(work)


def update(consultation_id: int, data: ConsultationInput, actor: User,
           ip_address: str = "") -> None:
    """Save a consultation's details and links; SlugTaken, NotFound."""

    def work() -> None:
        row = get(consultation_id)
        _apply(row, data)
        db.session.flush()
        audit.record("consultation.update", actor=actor, object_type="consultation",
                     object_id=row.id, ip_address=ip_address,
                     detail={"slug": row.slug, "surveys": sorted(data.survey_ids),
                             "topics": sorted(data.topic_ids), "wards": sorted(data.wards)})

    in_transaction(work)


def change_status(consultation_id: int, action: str, actor: User,
                  ip_address: str = "") -> str:
    """Publish, close or publish results; the new status. WrongStatus when it does not apply.

    Publishing tells subscribers to the consultation's wards and topics; publishing results
    tells the consultation's own subscribers (a background job sends the mail).

    Publishing results makes each linked survey's figures public, so only someone who may see
    every one of those surveys' results may do it (results_policy.ResultsRefused otherwise)."""
    if action not in TRANSITIONS:
        raise WrongStatus(action)
    before, after = TRANSITIONS[action]

    def work() -> int | None:
        row = get(consultation_id)
        if row.status != before:
            raise WrongStatus(action)
        if action == "results":
            for survey in row.surveys:
                results_policy.require(actor, survey)
        row.status = after
        now = utcnow()
        if action == "publish":
            row.published_at = now
        if action == "results":
            row.results_at = now
        audit.record(f"consultation.{action}", actor=actor, object_type="consultation",
                     object_id=row.id, ip_address=ip_address,
                     detail={"from": before, "to": after})
        if action == "close":
            return None
        job = jobs.enqueue(NOTIFY_JOB, {"consultation_id": row.id, "event": action}, actor,
                           commit=False)
        return int(job.id)

    job_id = in_transaction(work)
    if job_id is not None:
        jobs.dispatch(job_id)
    return after


def add_event(consultation_id: int, kind: str, title: str, starts_at: datetime, place: str,
              accessibility: str, actor: User, ip_address: str = "") -> int:
    """An event or group session on the consultation's page."""

    def work() -> int:
        row = get(consultation_id)
        row.updated_at = utcnow()
        event = ConsultationEvent(consultation_id=row.id, kind=kind, title=title.strip(),
                                  starts_at=starts_at, place=place.strip(),
                                  accessibility=accessibility.strip())
        db.session.add(event)
        db.session.flush()
        audit.record("consultation.event_add", actor=actor, object_type="consultation",
                     object_id=row.id, ip_address=ip_address, detail={"event_id": event.id})
        return int(event.id)

    return in_transaction(work)


def remove(consultation_id: int, kind: str, item_id: int, actor: User,
           ip_address: str = "") -> None:
    """Remove an event or document ('event' or 'document') from a consultation."""
    model: Any = ConsultationEvent if kind == "event" else ConsultationDocument

    def work() -> None:
        item = db.session.get(model, item_id)
        if item is None or item.consultation_id != consultation_id:
            raise NotFound(item_id)
        db.session.delete(item)
        get(consultation_id).updated_at = utcnow()
        audit.record(f"consultation.{kind}_remove", actor=actor, object_type="consultation",
                     object_id=consultation_id, ip_address=ip_address,
                     detail={f"{kind}_id": item_id})

    in_transaction(work)


def add_document(consultation_id: int, title: str, actor: User, *, url: str = "",
                 data: bytes = b"", filename: str = "", ip_address: str = "") -> int:
    """A link, or an uploaded file whose type is read from its content (DocumentRefused)."""
    ext, content_type = documents.detect(data, filename) if not url else ("", "")

    def work() -> int:
        row = get(consultation_id)
        row.updated_at = utcnow()
        doc = ConsultationDocument(
            consultation_id=row.id, title=title.strip(), url=url.strip(),
            filename=documents.safe_filename(title, ext) if ext else "",
            content_type=content_type, size=len(data) if not url else 0,
            content=data if not url else None)
        db.session.add(doc)
        db.session.flush()
        audit.record("consultation.document_add", actor=actor, object_type="consultation",
                     object_id=row.id, ip_address=ip_address,
                     detail={"document_id": doc.id, "type": ext or "link", "size": doc.size})
        return int(doc.id)

    return in_transaction(work)
