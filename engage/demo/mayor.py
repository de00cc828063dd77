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
from engage.services.collect.mayor import search
from engage.services.collect.mayor.queue import ensure_default_topics
from engage.services.platform.references import new_reference
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
# Each demo question comes with the answer that fits it, so a published answer always speaks to
# its question ({place} is filled in the same in both).
QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "housing": [
        ("How long will families on the housing register in {place} have to wait for a bigger "
         "home?",
         "Families needing a bigger home wait about four years on average. We are building 1,000 "
         "family-sized homes by 2028 and will tell everyone on the register when they can bid."),
        ("Our block near {place} has had damp and mould for two years. When will it be fixed?",
         "A surveyor has inspected the block near {place}. Mould treatment and new ventilation "
         "are booked and will be finished within six weeks; residents will get a letter first."),
        ("What is the council doing about overcrowding for families like mine?",
         "Overcrowded families get extra priority on the housing register. Our housing options "
         "team can also help you look at swaps and private rented homes."),
        ("How many new council homes will be built near {place} this year?",
         "Two schemes near {place} will finish this year, with 140 council homes at social rent. "
         "Local residents on the register will be offered them first."),
        ("Why are repairs to the lifts near {place} taking so long?",
         "The lift parts had to be made to order. The engineers have them now, and both lifts "
         "near {place} will be working again by the end of the month."),
    ],
    "crime-safety": [
        ("What is being done about drug dealing in the stairwells near {place}?",
         "The police and our estate officers have closed two stairwell doors to non-residents "
         "and made three arrests. Please report dealing on 101, or anonymously to Crimestoppers."),
        ("Can we have more police patrols around {place} in the evenings?",
         "The Safer Neighbourhood Team will patrol around {place} every evening from 6pm to "
         "10pm for the next three months, with council enforcement officers on Fridays."),
        ("Moped thefts near {place} are making people afraid. What will you do?",
         "Police have a dedicated moped crime team working in the area, and we are adding "
         "ground anchors for motorbikes near {place} so they are harder to steal."),
        ("Will the CCTV cameras near {place} be repaired?",
         "Yes. The two broken cameras near {place} will be replaced next month, and the control "
         "room will monitor them from the day they are working."),
    ],
    "streets-waste": [
        ("Why are the bins on {place} overflowing every weekend?",
         "We are adding a Saturday collection on {place} from next month and two larger bins "
         "where the overflowing ones are."),
        ("Fly-tipping near {place} is getting worse. Can enforcement be increased?",
         "Enforcement officers will patrol {place} at the times most dumping happens, and a "
         "camera is being installed. Anyone caught faces a fine of up to 1,000 pounds."),
        ("When will the recycling collections on {place} be back to normal?",
         "Recycling on {place} is back to its usual weekly day from next Monday. Extra crews "
         "will collect anything left behind this week."),
        ("Can we have more street cleaning around {place} after the market closes?",
         "A cleaning crew will now sweep around {place} straight after the market closes, "
         "every market day."),
    ],
    "cost-of-living": [
        ("What help is there for families who cannot afford their energy bills this winter?",
         "The Household Support Fund can help with energy bills this winter. Call our cost of "
         "living helpline or visit any Idea Store and an adviser will help you apply."),
        ("Will the council keep the free school meals scheme for all primary pupils?",
         "Yes. Free school meals for every primary pupil are funded for the next school year."),
        ("Where can residents near {place} get advice on debt and benefits?",
         "Free debt and benefits advice is available near {place} every Tuesday and Thursday at "
         "the community centre, and by phone on our advice line on weekdays."),
        ("Can the food bank near {place} get more support from the council?",
         "We have given the food bank near {place} a grant for a year's rent and will help it "
         "recruit volunteers through our volunteering service."),
    ],
    "health-care": [
        ("It takes weeks to get a GP appointment near {place}. What is being done?",
         "The NHS is funding more evening and weekend appointments at the GP hub near {place}. "
         "You can book them through your own practice."),
        ("Will there be more mental health support for young people in the borough?",
         "Yes. Mental health support teams now work in every secondary school, and young people "
         "can refer themselves to the youth wellbeing service."),
        ("Can older residents near {place} get more help at home?",
         "Older residents near {place} can ask for a free care assessment. A new befriending "
         "service also visits people who live alone."),
    ],
    "schools-youth": [
        ("Will the youth club near {place} reopen in the evenings?",
         "The youth club near {place} reopens on weekday evenings from next term, run with a "
         "local youth charity."),
        ("What activities are there for teenagers near {place} in the summer holidays?",
         "The summer programme near {place} has free sport, music and coding sessions for 11 to "
         "19 year olds. Places can be booked online from June."),
        ("Why are there not enough school places for children with special needs?",
         "Demand has grown quickly. We are opening 120 new specialist places over the next two "
         "years, including a new resource base in a primary school."),
    ],
    "transport-roads": [
        ("Can a pedestrian crossing be added on {place} near the school?",
         "Highways officers have surveyed {place}. A zebra crossing near the school is planned "
         "for the summer holidays, when the school is closed."),
        ("Why was the low traffic scheme near {place} changed?",
         "The scheme near {place} was changed after consultation showed residents wanted access "
         "for blue badge holders. We will publish the traffic and air quality results each year."),
        ("The pavements on {place} are broken. When will they be repaired?",
         "The broken paving on {place} has been inspected and the worst sections will be "
         "relaid within four weeks."),
        ("Can there be more secure cycle parking near {place}?",
         "Six new cycle hangars will be installed near {place} this year. Residents can apply "
         "for a space on our website."),
    ],
    "parks-environment": [
        ("Can more trees be planted along {place}?",
         "Thirty street trees will be planted along {place} this winter, the best season for "
         "new trees to take root."),
        ("What is the council doing about air pollution on {place}?",
         "We monitor the air on {place} and will add a school street and more planting there. "
         "The results are published every quarter."),
        ("The toilets in {place} are often closed. Can they be opened for longer?",
         "From this spring the toilets in {place} will open from 8am to 8pm every day, with a "
         "new cleaning contract."),
    ],
    "council-services": [
        ("Why has council tax gone up again this year?",
         "Council tax rose by less than inflation this year to protect social care and "
         "children's services. Residents on low incomes can get council tax support."),
        ("It is very hard to reach the council by phone. Will this improve?",
         "We have recruited more contact centre staff and added a call-back option, so nobody "
         "should wait more than ten minutes."),
        ("Will the Idea Store near {place} keep its opening hours?",
         "Yes. The Idea Store near {place} keeps its current opening hours, including Sundays."),
    ],
    "other": [
        ("How can residents near {place} get involved in planning decisions?",
         "You can comment on any planning application online, and join the neighbourhood "
         "planning forum near {place}, which meets every two months."),
        ("Will there be more community events for Eid and Christmas near {place}?",
         "Yes. Community grants for events near {place} are open now, for Eid, Christmas and "
         "other celebrations."),
    ],
}
BENGALI = {
    "streets-waste": ("{place} এলাকায় আবর্জনা নিয়মিত পরিষ্কার করা হয় না। কাউন্সিল কী করবে?",
     "{place} এলাকায় আগামী মাস থেকে শনিবারেও আবর্জনা সংগ্রহ করা হবে, এবং বড় বিন বসানো হবে।"),
    "housing": ("আমাদের ফ্ল্যাটে স্যাঁতসেঁতে ভাব ও ছত্রাক আছে। কবে মেরামত হবে?",
     "একজন সার্ভেয়ার আপনার ভবন পরিদর্শন করেছেন। ছয় সপ্তাহের মধ্যে ছত্রাকের চিকিৎসা ও নতুন "
     "বায়ু চলাচলের ব্যবস্থা করা হবে।"),
    "health-care": ("বয়স্ক বাসিন্দাদের জন্য আরও সাহায্য কি পাওয়া যাবে?",
     "হ্যাঁ। বয়স্ক বাসিন্দারা বিনা খরচে পরিচর্যা মূল্যায়নের জন্য আবেদন করতে পারেন, এবং একা থাকা "
     "মানুষদের কাছে একটি নতুন সঙ্গদান সেবা যায়।"),
}
STATUSES = (["received"] * 20 + ["approved"] * 8 + ["assigned"] * 12 + ["drafted"] * 5
            + ["answered"] * 8 + ["published"] * 35 + ["rejected"] * 7 + ["duplicate"] * 5)
ORGS = ["Tower Hamlets Council – Housing", "Metropolitan Police – Central East",
        "NHS North East London", "Tower Hamlets Council – Public Realm", "Poplar HARCA"]


OPEN = ("received", "approved", "assigned", "drafted")


def _question(rng: random.Random, topics: dict[str, MayorTopic], wards: list[str],
              now: datetime, answers: dict[int, str]) -> MayorQuestion:
    """A demo question; ``answers`` gets the answer that fits it, by the question's id()."""
    slug = rng.choice(list(QUESTIONS))
    bengali = rng.random() < 0.08
    if bengali:
        slug = rng.choice(list(BENGALI))
        text, answer = BENGALI[slug]
    else:
        text, answer = rng.choice(QUESTIONS[slug])
    place = rng.choice(PLACES)
    asked = now - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 1440))
    question = MayorQuestion(
        reference=new_reference(), text=text.format(place=place),
        topic_id=topics[slug].id if slug in topics else None, ward=rng.choice(wards),
        consent_publish=rng.random() < 0.8, language="bn" if bengali else "en",
        channel=rng.choices(["online", "phone", "event", "paper"], [70, 10, 12, 8])[0],
        created_at=asked, updated_at=asked, status="received",
    )
    answers[id(question)] = answer.format(place=place)
    return question


def _advance(rng: random.Random, question: MayorQuestion, status: str, officer: User | None,
             now: datetime, roots: list[MayorQuestion], answer: str) -> None:
    if status == "published" and not question.consent_publish:
        status = "answered"
    if status == "duplicate":
        if not roots:
            return
        question.duplicate_of = rng.choice(roots)
    if status in OPEN:
        # Questions still being worked on were asked in the last month: a few are past their
        # due date, as in a real queue, not nearly all of them.
        asked = now - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 1440))
        question.created_at = question.updated_at = asked
    if status == "rejected":
        question.reject_reason = rng.choice(["personal_case", "not_council", "unclear",
                                             "offensive"])
    if status in ("assigned", "drafted", "answered", "published"):
        question.assigned_org = rng.choice(ORGS)
        if officer is not None and rng.random() < 0.5:
            question.assigned_to_id = officer.id
        question.due_on = (question.created_at + timedelta(days=20)).date()
    if status in ("drafted", "answered", "published"):
        question.answer_text = answer
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
    answers: dict[int, str] = {}
    questions = [_question(rng, topics, wards, now, answers) for _ in range(COUNT)]
    db.session.add_all(questions)
    db.session.flush()
    roots: list[MayorQuestion] = []
    for question in questions:
        status = rng.choice(STATUSES)
        _advance(rng, question, status, officer, now, roots, answers[id(question)])
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
        extra = [_question(rng, topics, wards, now, answers) for _ in range(6)]
        for question in extra:
            question.consent_publish = True
            question.created_at = min(question.created_at, session.starts_at - timedelta(days=7))
            question.session_id = session.id
            question.support_count = rng.randint(3, 40)
            if past:
                question.status = "published"
                question.answer_text = answers[id(question)]
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


