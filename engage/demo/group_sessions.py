"""Demo group sessions: three sessions with their points (illustrative, made up)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from engage.extensions import db
from engage.models import GroupSession, User
from engage.services.collect import group_sessions as service

SESSIONS = [
    (service.SessionDetails("young_people", date(2026, 2, 12), "Demo Engagement Officer",
                            ward="bow-east", group_name="Youth forum at Bow Idea Store"),
     ["There is nowhere safe to meet after school once the youth club closes at 7",
      "Buses are too full in the morning to get to college on time",
      "We want more say in how the park is changed"]),
    (service.SessionDetails("older_residents", date(2026, 2, 20), "Demo Engagement Officer",
                            ward="poplar", group_name="Lunch club at St Matthias"),
     ["Lifts in the tower blocks break down and people are stuck at home for days",
      "It is hard to get a GP appointment by phone; not everyone can use the app",
      "Benches at bus stops would help people who cannot stand for long",
      "Winter is lonely; the community centre closing early makes it worse"]),
    (service.SessionDetails("businesses", date(2026, 3, 3), "Demo Engagement Officer",
                            ward="whitechapel", group_name="Whitechapel market traders"),
     ["Rubbish left after the market is not cleared until the next morning",
      "Parking restrictions make deliveries difficult",
      "Shoplifting has gone up and reports are not followed up"]),
]


def load() -> Iterator[str]:
    """Add the demo sessions once (nothing is added if any group session exists)."""
    if db.session.scalar(select(GroupSession.id).limit(1)) is not None:
        yield "group sessions: already there"
        return
    officer = db.session.scalar(select(User).where(User.email == "officer@engage.example"))
    points = 0
    for details, texts in SESSIONS:
        session = service.create_session(officer, details)
        for text in texts:
            service.add_point(session, officer, text)
            points += 1
    yield f"group sessions: {len(SESSIONS)} sessions with {points} points"
