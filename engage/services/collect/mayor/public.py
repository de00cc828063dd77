"""What residents read: published questions and answers (search, filters, pages) and support."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from engage.extensions import db
from engage.models import MayorQuestion, MayorSupport, MayorTopic
from engage.services.collect.mayor import search
from engage.services.platform import paging
from engage.services.platform.transactions import in_transaction

PAGE_SIZE = 20
COUNT_CAP = 1000  # searches say "more than 1,000" rather than count further


@dataclass(frozen=True)
class AnswerFilters:
    """The published-answers page's search and filters (already checked against allow-lists)."""

    search: str = ""
    topic: str = ""
    ward: str = ""
    session_id: int | None = None


@dataclass
class Page:
    """One page of results and what the pagination needs."""

    items: list[MayorQuestion]
    total: int
    page: int
    pages: int
    supported: set[int] = field(default_factory=set)

    @property
    def capped(self) -> bool:
        """True when a search matched more than COUNT_CAP questions."""
        return self.total > COUNT_CAP


def _published(filters: AnswerFilters) -> Select[MayorQuestion]:
    query = select(MayorQuestion).where(MayorQuestion.status == "published")
    if filters.topic:
        topic_id = select(MayorTopic.id).where(MayorTopic.slug == filters.topic).scalar_subquery()
        query = query.where(MayorQuestion.topic_id == topic_id)
    if filters.ward:
        query = query.where(MayorQuestion.ward == filters.ward)
    if filters.session_id is not None:
        query = query.where(MayorQuestion.session_id == filters.session_id)
    return search.matching(query, filters.search)


def published_page(filters: AnswerFilters, page: int = 1, supporter: str | None = None) -> Page:
    """One page of published questions, newest first, with this browser's support marked."""
    query = _published(filters)
    ids = query.with_only_columns(MayorQuestion.id)
    if filters.search:  # counting every match of a common word costs a scan: stop early
        ids = ids.limit(COUNT_CAP + 1)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    shown = paging.window(total, page, PAGE_SIZE)
    items = list(db.session.scalars(shown.of(
        query.order_by(MayorQuestion.published_at.desc(), MayorQuestion.id.desc()))))
    supported: set[int] = set()
    if supporter and items:
        supported = set(db.session.scalars(select(MayorSupport.question_id).where(
            MayorSupport.supporter == supporter_key(supporter),
            MayorSupport.question_id.in_([q.id for q in items]))))
    return Page(items=items, total=total, page=shown.page, pages=shown.pages,
                supported=supported)


def supporter_key(token: str) -> str:
    """What is stored for a browser: a hash of its random token, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_support(question_id: int, token: str) -> bool:
    """Count one browser's "I want to know this too"; False if already counted or not public."""
    if not token:
        return False

    def work() -> bool:
        status = db.session.scalar(select(MayorQuestion.status)
                                   .where(MayorQuestion.id == question_id))
        if status != "published":
            return False
        db.session.execute(insert(MayorSupport).values(
            question_id=question_id, supporter=supporter_key(token)))
        db.session.execute(update(MayorQuestion).where(MayorQuestion.id == question_id)
                           .values(support_count=MayorQuestion.support_count + 1))
        return True

    try:
        return in_transaction(work)
    except IntegrityError:  # already counted (in_transaction has rolled back)
        return False


def active_topics() -> list[MayorTopic]:
    """Topics residents may choose, in the staff's order."""
    return list(db.session.scalars(select(MayorTopic).where(MayorTopic.active.is_(True))
                                   .order_by(MayorTopic.position, MayorTopic.id)))


def all_topics() -> list[MayorTopic]:
    """Every topic, active or not (staff and filters)."""
    return list(db.session.scalars(select(MayorTopic).order_by(MayorTopic.position,
                                                               MayorTopic.id)))
