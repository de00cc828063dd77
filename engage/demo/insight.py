"""Demo: “you said, we did” for the demo survey (what happens next, and one update)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from engage.extensions import db
from engage.models import ConsultationUpdate, Survey
from engage.models._types import utcnow

SLUG = "residents-2026"
UPDATES = [
    ("next_steps", 6,
     "The partnership will agree its priorities in the spring",
     "We have read every answer. A Task and Finish group of council officers, police, NHS "
     "and voluntary sector partners is weighing what you told us.\n"
     "In the spring it will agree three or four priorities for the partnership plan. We will "
     "publish them here.",
     "বসন্তে পার্টনারশিপ তার অগ্রাধিকার ঠিক করবে",
     "আমরা প্রতিটি উত্তর পড়েছি। কাউন্সিলের কর্মকর্তা, পুলিশ, এনএইচএস ও স্বেচ্ছাসেবী "
     "সংস্থার অংশীদারদের একটি টাস্ক অ্যান্ড ফিনিশ গ্রুপ আপনার কথাগুলো বিবেচনা করছে।\n"
     "বসন্তে তারা পার্টনারশিপ পরিকল্পনার জন্য তিন বা চারটি অগ্রাধিকার ঠিক করবে। আমরা সেগুলো "
     "এখানে প্রকাশ করব।"),
    ("update", 2,
     "Results shared with ward forums",
     "We took the headline results to all 20 ward forums in March and heard what residents "
     "thought of them.",
     "ওয়ার্ড ফোরামে ফলাফল জানানো হয়েছে",
     "মার্চ মাসে আমরা ২০টি ওয়ার্ড ফোরামেই মূল ফলাফল নিয়ে গিয়েছি এবং বাসিন্দাদের মতামত শুনেছি।"),
]


def load() -> Iterator[str]:
    """Add the demo survey's updates once."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    if survey is None:
        return
    have = db.session.scalar(select(ConsultationUpdate.id).where(
        ConsultationUpdate.survey_id == survey.id).limit(1))
    if have is not None:
        yield "You said, we did: demo updates already there"
        return
    now = utcnow()
    for kind, days_ago, title_en, body_en, title_bn, body_bn in UPDATES:
        db.session.add(ConsultationUpdate(
            survey_id=survey.id, kind=kind, title_en=title_en, body_en=body_en,
            title_bn=title_bn, body_bn=body_bn, created_at=now - timedelta(days=days_ago)))
    db.session.commit()
    yield f"You said, we did: {len(UPDATES)} demo updates at /you-said-we-did/{SLUG}"
