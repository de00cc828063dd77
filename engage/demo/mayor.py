"""Demo data for Ask the Mayor: about 300 questions across topics, wards and statuses,
two past sessions and one upcoming. Idempotent: it does nothing if the demo sessions exist."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSession, MayorTopic, User
from engage.models._types import utcnow
from engage.services.mayor import search
from engage.services.mayor.queue import ensure_default_topics
from engage.services.references import new_reference
from surveys import default_wards

COUNT = 300
SESSIONS = [
    ("Ask the Mayor: Bow and Mile End", "Bow Idea Store, 1 Gladstone Place, E3 5ES", -95),
    ("Ask the Mayor: Poplar and the Isle of Dogs", "Poplar Union, 2 Cotall Street, E14 6TL", -40),
    ("Ask the Mayor: Whitechapel and Spitalfields",
     "Whitechapel Idea Store, 321 Whitechapel Road, E1 1BU", 21),
]
PLACES = ["Roman Road", "Chrisp Street", "Brick Lane", "Watney Market", "Bethnal Green Road",
          "Mile End Park", "Victoria Park", "the Ocean Estate", "the Lincoln Estate",
          "Commercial Road", "Burdett Road", "Cable Street", "Manchester Road", "Globe Town"]
QUESTIONS = {
    "housing": [
        "How long will families on the housing register in {place} have to wait for a bigger home?",
        "Our block near {place} has had damp and mould for two years. When will it be fixed?",
        "What is the council doing about overcrowding for families like mine?",
        "How many new council homes will be built near {place} this year?",
        "Why are repairs to the lifts near {place} taking so long?",
    ],
    "crime-safety": [
        "What is being done about drug dealing in the stairwells near {place}?",
        "Can we have more police patrols around {place} in the evenings?",
        "Moped thefts near {place} are making people afraid. What will you do?",
        "Will the CCTV cameras near {place} be repaired?",
    ],
    "streets-waste": [
        "Why are the bins on {place} overflowing every weekend?",
        "Fly-tipping near {place} is getting worse. Can enforcement be increased?",
        "When will the recycling collections on {place} be back to normal?",
        "Can we have more street cleaning around {place} after the market closes?",
    ],
    "cost-of-living": [
        "What help is there for families who cannot afford their energy bills this winter?",
        "Will the council keep the free school meals scheme for all primary pupils?",
        "Where can residents near {place} get advice on debt and benefits?",
        "Can the food bank near {place} get more support from the council?",
    ],
    "health-care": [
        "It takes weeks to get a GP appointment near {place}. What is being done?",
        "Will there be more mental health support for young people in the borough?",
        "Can older residents near {place} get more help at home?",
    ],
    "schools-youth": [
        "Will the youth club near {place} reopen in the evenings?",
        "What activities are there for teenagers near {place} in the summer holidays?",
        "Why are there not enough school places for children with special needs?",
    ],
    "transport-roads": [
        "Can a pedestrian crossing be added on {place} near the school?",
        "Why was the low traffic scheme near {place} changed?",
        "The pavements on {place} are broken. When will they be repaired?",
        "Can there be more secure cycle parking near {place}?",
    ],
    "parks-environment": [
        "Can more trees be planted along {place}?",
        "What is the council doing about air pollution on {place}?",
        "The toilets in {place} are often closed. Can they be opened for longer?",
    ],
    "council-services": [
        "Why has council tax gone up again this year?",
        "It is very hard to reach the council by phone. Will this improve?",
        "Will the Idea Store near {place} keep its opening hours?",
    ],
    "other": [
        "How can residents near {place} get involved in planning decisions?",
        "Will there be more community events for Eid and Christmas near {place}?",
    ],
}
BENGALI = [
    "{place} এলাকায় আবর্জনা নিয়মিত পরিষ্কার করা হয় না। কাউন্সিল কী করবে?",
    "আমাদের ফ্ল্যাটে স্যাঁতসেঁতে ভাব ও ছত্রাক আছে। কবে মেরামত হবে?",
    "বয়স্ক বাসিন্দাদের জন্য আরও সাহায্য কি পাওয়া যাবে?",
]
ANSWERS = [
    "Thank you for your question. The service has looked into this and will report progress "
    "to residents by the end of the quarter.",
    "We share your concern. Extra funding has been agreed for this year, and officers will "
    "work with local residents to decide where it is spent first.",
    "This is a priority in the partnership plan. The council and its partners will meet "
    "residents in the spring to agree the next steps.",
    "The team has visited and found the problem. Work is booked and should be finished "
    "within six weeks.",
]
STATUSES = (["received"] * 20 + ["approved"] * 8 + ["assigned"] * 12 + ["drafted"] * 5
            + ["answered"] * 8 + ["published"] * 35 + ["rejected"] * 7 + ["duplicate"] * 5)
ORGS = ["Tower Hamlets Council – Housing", "Metropolitan Police – Central East",
        "NHS North East London", "Tower Hamlets Council – Public Realm", "Poplar HARCA"]


def _question(rng: random.Random, topics: dict[str, MayorTopic], wards: list[str],
              now: datetime) -> MayorQuestion:
    slug = rng.choice(list(QUESTIONS))
    bengali = rng.random() < 0.08
    template = rng.choice(BENGALI if bengali else QUESTIONS[slug])
    asked = now - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 1440))
    return MayorQuestion(
        reference=new_reference(), text=template.format(place=rng.choice(PLACES)),
        topic_id=topics[slug].id if slug in topics else None, ward=rng.choice(wards),
        consent_publish=rng.random() < 0.8, language="bn" if bengali else "en",
        channel=rng.choices(["online", "phone", "event", "paper"], [70, 10, 12, 8])[0],
        created_at=asked, updated_at=asked, status="received",
    )


def _advance(rng: random.Random, question: MayorQuestion, status: str, officer: User | None,
             now: datetime, roots: list[MayorQuestion]) -> None:
    if status == "published" and not question.consent_publish:
        status = "answered"
    if status == "duplicate":
        if not roots:
            return
        question.duplicate_of = rng.choice(roots)
    if status == "rejected":
        question.reject_reason = rng.choice(["personal_case", "not_council", "unclear",
                                             "offensive"])
    if status in ("assigned", "drafted", "answered", "published"):
        question.assigned_org = rng.choice(ORGS)
        if officer is not None and rng.random() < 0.5:
            question.assigned_to_id = officer.id
        question.due_on = (question.created_at + timedelta(days=20)).date()
    if status in ("drafted", "answered", "published"):
        question.answer_text = rng.choice(ANSWERS)
    if status in ("answered", "published"):
        question.answered_at = min(now, question.created_at + timedelta(days=rng.randint(5, 25)))
    if status == "published":
        question.published_at = question.answered_at
        question.support_count = int(rng.paretovariate(1.3)) - 1 + rng.randint(0, 4)
    question.status = status


def load() -> Iterator[str]:
    """Load the Ask the Mayor demo (idempotent)."""
    titles = [title for title, _, _ in SESSIONS]
    if db.session.scalar(select(MayorSession.id).where(MayorSession.title.in_(titles))):
        yield "Ask the Mayor: demo questions already there."
        return
    ensure_default_topics()
    rng = random.Random(2026)  # repeatable demo data
    now = utcnow()
    topics = {t.slug: t for t in db.session.scalars(select(MayorTopic))}
    wards = [w.id for w in default_wards()]
    officer = db.session.scalar(select(User).where(User.email == "officer@engage.example"))
    questions = [_question(rng, topics, wards, now) for _ in range(COUNT)]
    db.session.add_all(questions)
    db.session.flush()
    roots: list[MayorQuestion] = []
    for question in questions:
        status = rng.choice(STATUSES)
        _advance(rng, question, status, officer, now, roots)
        if question.status in ("approved", "assigned", "published"):
            roots.append(question)
    sessions = []
    for title, place, days in SESSIONS:
        starts = (now + timedelta(days=days)).replace(hour=18, minute=30, second=0,
                                                      microsecond=0)
        past = days < 0
        session = MayorSession(title=title, place=place, starts_at=starts,
                               state="published" if past else "planned",
                               published_at=starts + timedelta(days=2) if past else None)
        sessions.append(session)
    db.session.add_all(sessions)
    db.session.flush()
    for session in sessions:
        past = session.state == "published"
        extra = [_question(rng, topics, wards, now) for _ in range(6)]
        for question in extra:
            question.consent_publish = True
            question.created_at = min(question.created_at, session.starts_at - timedelta(days=7))
            question.session_id = session.id
            question.support_count = rng.randint(3, 40)
            if past:
                question.status = "published"
                question.answer_text = rng.choice(ANSWERS)
                question.answered_at = session.starts_at
                question.published_at = session.published_at
            else:
                question.status = "approved"
        db.session.add_all(extra)
        questions.extend(extra)
    db.session.flush()
    for question in questions:
        if question.status == "published":
            search.reindex(question)
    db.session.commit()
    yield (f"Ask the Mayor: {COUNT + 18} demo questions, 2 past sessions and 1 upcoming "
           f"session created.")


