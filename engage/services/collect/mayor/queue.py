"""The staff side's reading: the moderation queue, one question, officers, topics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from engage.extensions import db
from engage.models import MayorQuestion, MayorTopic, User
from engage.models._types import utcnow
from engage.services.collect.mayor import ANSWERING_ROLES, MayorError, require_moderator
from engage.services.platform import audit, keyset, paging
from engage.services.platform.transactions import DatabaseUnavailable, in_transaction

QUEUE_SIZE = 50
COUNT_CAP = 1000
"""The queue counts its questions up to this many and then says "more than 1,000": moderators
need the exact number while it is small, and counting a long queue on every view costs a scan."""
# The same list the 0003 migration seeds (a migration keeps its own frozen copy).
DEFAULT_TOPICS = [
    ("housing", "Housing", "আবাসন"),
    ("crime-safety", "Crime and community safety", "অপরাধ ও কমিউনিটির নিরাপত্তা"),
    ("streets-waste", "Clean streets, rubbish and recycling", "পরিষ্কার রাস্তা, আবর্জনা ও রিসাইক্লিং"),
    ("cost-of-living", "Cost of living and benefits", "জীবনযাত্রার ব্যয় ও বেনিফিট"),
    ("health-care", "Health and social care", "স্বাস্থ্য ও সামাজিক সেবা"),
    ("schools-youth", "Schools, children and young people", "স্কুল, শিশু ও তরুণ"),
    ("transport-roads", "Transport, roads and parking", "পরিবহন, রাস্তা ও পার্কিং"),
    ("parks-environment", "Parks, air quality and the environment",
     "পার্ক, বায়ুর মান ও পরিবেশ"),
    ("council-services", "Council services and tax", "কাউন্সিলের সেবা ও কর"),
    ("other", "Something else", "অন্য কিছু"),
]
AGES = {"week": 7, "month": 30, "older": None}
SORTS = ("newest", "oldest")
# Looks at the queue closer together than this are one visit: "new" keeps its meaning while
# a moderator pages through.
VISIT = timedelta(minutes=10)


@dataclass(frozen=True)
class QueueFilters:
    """Filters of the moderation queue (values checked against allow-lists by the form)."""

    status: str = "open"
    topic: str = ""
    ward: str = ""
    age: str = ""
    overdue: bool = False
    sort: str = "newest"


@dataclass(frozen=True)
class QueuePage:
    """One page of the moderation queue, its total, and what is new since the last look."""

    items: list[MayorQuestion]
    total: int
    page: int
    pages: int
    since: datetime | None = None
    new_count: int = 0
    new_ids: set[int] = field(default_factory=set)
    more: bool = False
    """True when the count stopped at COUNT_CAP and pages go on past `pages` (unknown how far)."""

    @property
    def capped(self) -> bool:
        """True when more than COUNT_CAP questions match (`total` is then COUNT_CAP + 1)."""
        return self.total > COUNT_CAP

    @property
    def new_capped(self) -> bool:
        """True when more than COUNT_CAP questions arrived since the last look."""
        return self.new_count > COUNT_CAP

    @property
    def first(self) -> int:
        """The position of the first question on the page (1-based; 0 when empty)."""
        return (self.page - 1) * QUEUE_SIZE + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The position of the last question on the page."""
        return (self.page - 1) * QUEUE_SIZE + len(self.items)


def queue(filters: QueueFilters, page: int = 1, since: datetime | None = None,
          after: int | None = None, before: int | None = None) -> QueuePage:
    """Questions for moderators, newest first unless asked otherwise, one page of them.

    `since`: the moderator's last look; questions received after it are counted as new.
    `after` / `before`: the id of the last / first question of the page next to this one (the
    next and previous links give them): the page is found from that question's place in the
    order (keyset), so a page deep in the queue costs what the first does. The last page is
    read back from the end; a page number alone (or a question no longer there) is counted
    to as before.

    Questions are counted up to COUNT_CAP + 1 (a LIMITed count, not a scan of a long queue on
    every view): past that the page says "more than 1,000", the last page is not known and
    each page tells only whether another follows (`more`)."""
    query = _filtered(filters)
    total = _count(query.with_only_columns(MayorQuestion.id))
    new_count = 0
    if since is not None:
        new_count = _count(select(MayorQuestion.id).where(MayorQuestion.created_at > since))
    descending = filters.sort != "oldest"
    keys = (MayorQuestion.created_at, MayorQuestion.id)
    mark_id = after if after is not None else before
    mark = db.session.get(MayorQuestion, mark_id) if mark_id is not None else None
    if total > COUNT_CAP:
        items, page, more = _capped_page(query, keys, descending, page, mark, after is None)
        pages = page + 1 if more else page
    else:
        items, page, pages = _counted_page(query, keys, descending, total, page, mark,
                                           after is None)
        more = False
    return QueuePage(items=items, total=total, page=page, pages=pages, since=since,
                     new_count=new_count, more=more,
                     new_ids={q.id for q in items if since is not None and q.created_at > since})


def _count(ids: Select[Any]) -> int:
    """How many rows `ids` has, counting no further than COUNT_CAP + 1."""
    return db.session.scalar(select(func.count()).select_from(
        ids.limit(COUNT_CAP + 1).subquery())) or 0


Keys = tuple[InstrumentedAttribute[datetime], InstrumentedAttribute[int]]


def _counted_page(query: Select[MayorQuestion], keys: Keys, descending: bool, total: int,
                  page: int, mark: MayorQuestion | None,
                  before: bool) -> tuple[list[MayorQuestion], int, int]:
    """A page of a queue whose size is known: (questions, page, pages)."""
    shown = paging.window(total, page, QUEUE_SIZE)
    # A page next to one the moderator saw is sought by key: `after` the last question shown
    # (next) or `before` the first (previous); the last page is read back from the end. Any
    # other page, or a cursor to a question no longer there, is counted to by OFFSET.
    items = keyset.page(query, keys, shown, (mark.created_at, mark.id) if mark else None,
                        before, descending)
    return items, shown.page, shown.pages


def _capped_page(query: Select[MayorQuestion], keys: Keys, descending: bool, page: int,
                 mark: MayorQuestion | None,
                 before: bool) -> tuple[list[MayorQuestion], int, bool]:
    """A page of a queue longer than COUNT_CAP, whose end is not counted: (questions, page,
    whether a next page exists), found by key next to `mark`, else by OFFSET from the page
    number; a page number past the end gives the first page."""
    page = max(1, page)
    items: list[MayorQuestion] = []
    more = False
    if mark is not None and page > 1:
        # One question more than a page says whether another page follows (reading forwards)
        # or precedes (reading backwards: then the next page is the one the link came from).
        found = keyset.seek(query, keys, keyset.Cursor((mark.created_at, mark.id),
                                                       before=before),
                            QUEUE_SIZE + 1, descending)
        if before:
            items, more = found[-QUEUE_SIZE:], True
        else:
            items, more = found[:QUEUE_SIZE], len(found) > QUEUE_SIZE
    if not items:
        ordered = query.order_by(*_order(keys, descending)).limit(QUEUE_SIZE + 1)
        found = list(db.session.scalars(ordered.offset((page - 1) * QUEUE_SIZE)))
        if not found:
            page = 1
            found = list(db.session.scalars(ordered))
        items, more = found[:QUEUE_SIZE], len(found) > QUEUE_SIZE
    return items, page, more


def _order(keys: Keys, descending: bool) -> list[Any]:
    return [key.desc() if descending else key.asc() for key in keys]


def look_at_queue(user: User) -> datetime | None:
    """Record that this member of staff looked at the queue; the previous visit's time, if any.

    Only the user's own two timestamps change (like a session's last-seen time). A locked
    database does not stop the queue being read: the look is simply not recorded."""
    def work() -> datetime | None:
        now = utcnow()
        if user.queue_seen_at is not None and now - user.queue_seen_at > VISIT:
            user.queue_previous_seen_at = user.queue_seen_at
        user.queue_seen_at = now
        return user.queue_previous_seen_at

    try:
        return in_transaction(work)
    except DatabaseUnavailable:
        return None


def _filtered(filters: QueueFilters) -> Select[MayorQuestion]:
    query = select(MayorQuestion)
    if filters.status == "open":
        query = query.where(MayorQuestion.status.in_(("received", "approved", "assigned",
                                                      "drafted", "answered")))
    elif filters.status:
        query = query.where(MayorQuestion.status == filters.status)
    if filters.topic:
        query = query.join(MayorTopic).where(MayorTopic.slug == filters.topic)
    if filters.ward:
        query = query.where(MayorQuestion.ward == filters.ward)
    now = utcnow()
    if filters.age == "week":
        query = query.where(MayorQuestion.created_at >= now - timedelta(days=7))
    elif filters.age == "month":
        query = query.where(MayorQuestion.created_at >= now - timedelta(days=30))
    elif filters.age == "older":
        query = query.where(MayorQuestion.created_at < now - timedelta(days=30))
    if filters.overdue:
        query = query.where(MayorQuestion.due_on < date.today(),
                            MayorQuestion.status.in_(("assigned", "drafted")))
    return query


def assigned_to(user: User) -> list[MayorQuestion]:
    """Questions assigned to a member of staff that still need an answer, soonest due first."""
    return list(db.session.scalars(select(MayorQuestion).where(
        MayorQuestion.assigned_to_id == user.id,
        MayorQuestion.status.in_(("assigned", "drafted")))
        .order_by(MayorQuestion.due_on, MayorQuestion.id)))


def is_overdue(question: MayorQuestion, today: date | None = None) -> bool:
    """True when an assigned question has passed its due date without an approved answer."""
    today = today or date.today()
    return bool(question.due_on and question.due_on < today
                and question.status in ("assigned", "drafted"))


def get_question(question_id: int) -> MayorQuestion | None:
    """One question by id."""
    return db.session.get(MayorQuestion, question_id)


def officers() -> list[User]:
    """Active staff who may be assigned questions."""
    return list(db.session.scalars(select(User).where(
        User.active.is_(True),
        User.role.in_(("admin", *ANSWERING_ROLES)))
        .order_by(User.name, User.email)))


def get_officer(user_id: int) -> User | None:
    """An active member of staff by id (any role: `moderation.assign` checks they may answer)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def ensure_default_topics() -> int:
    """Add the default topics if there are none (a database emptied after migrating)."""

    def work() -> int:
        if db.session.scalar(select(func.count()).select_from(MayorTopic)):
            return 0
        db.session.add_all(MayorTopic(slug=slug, name_en=en, name_bn=bn, position=i)
                           for i, (slug, en, bn) in enumerate(DEFAULT_TOPICS))
        return len(DEFAULT_TOPICS)

    return in_transaction(work)


def add_topic(actor: User | None, name_en: str, name_bn: str = "") -> MayorTopic:
    """Add a topic to the list residents choose from."""
    actor = require_moderator(actor)

    def work() -> MayorTopic:
        slug = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")[:64]
        if not slug:
            raise MayorError("empty_topic")
        taken = db.session.scalar(select(MayorTopic.id).where(or_(MayorTopic.slug == slug,
                                                                  MayorTopic.name_en == name_en)))
        if taken is not None:
            raise MayorError("topic_exists")
        position = (db.session.scalar(select(func.max(MayorTopic.position))) or 0) + 1
        topic = MayorTopic(slug=slug, name_en=name_en.strip(), name_bn=name_bn.strip(),
                           position=position)
        db.session.add(topic)
        db.session.flush()
        audit.record("mayor.topic.add", actor=actor, object_type="mayor_topic", object_id=topic.id,
                     detail={"slug": slug})
        return topic

    return in_transaction(work)


def set_topic_active(actor: User | None, topic_id: int, active: bool) -> None:
    """Show or hide a topic on the resident form (questions keep their topic)."""
    actor = require_moderator(actor)

    def work() -> None:
        topic = db.session.get(MayorTopic, topic_id)
        if topic is None:
            raise MayorError("topic_not_found")
        topic.active = active
        audit.record("mayor.topic.show" if active else "mayor.topic.hide", actor=actor,
                     object_type="mayor_topic", object_id=topic.id)

    in_transaction(work)
