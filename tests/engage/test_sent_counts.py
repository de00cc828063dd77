"""sent_counts (issue 21): the database keeps the sent responses per survey, UTC day and channel
through every way a response is written, so the survey list reads them instead of counting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import delete, func, insert, select, update

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition
from engage.extensions import db
from engage.models import Response, SentCount
from engage.services.collect.published_surveys import publish_definition

DAY = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def kept() -> dict[tuple[int, str, str], int]:
    return {(s, d.isoformat(), c): n for s, d, c, n in db.session.execute(
        select(SentCount.survey_id, SentCount.day, SentCount.channel, SentCount.n)
        .where(SentCount.n > 0))}


def recounted() -> dict[tuple[int, str, str], int]:
    found: dict[tuple[int, str, str], int] = {}
    for survey_id, when, channel in db.session.execute(
            select(Response.survey_id, Response.submitted_at, Response.channel)
            .where(Response.status == "submitted")):
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        key = (survey_id, when.astimezone(UTC).date().isoformat(), channel)
        found[key] = found.get(key, 0) + 1
    return found


def test_counts_follow_inserts_submits_changes_and_deletes(app: Flask) -> None:
    version = publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS,
                                 privacy_notice=PRIVACY)
    survey_id, version_id = version.survey_id, version.id

    def row(i: int, status: str, channel: str = "online") -> dict[str, object]:
        sent = status == "submitted"
        return {"survey_id": survey_id, "survey_version_id": version_id, "status": status,
                "channel": channel, "language": "en", "answers": {}, "current_page": "",
                "reference": f"T000-{i:04d}" if sent else None,
                "submitted_at": DAY + timedelta(hours=i % 3) if sent else None,
                "started_at": DAY, "updated_at": DAY,
                "batch": "Paper batch 1" if channel == "paper" else None,
                "sheet_number": str(i) if channel == "paper" else None}

    # A bulk insert (one statement) of sent and unsent rows; an unfinished import's row.
    db.session.execute(insert(Response), [row(i, "submitted") for i in range(6)]
                       + [row(i, "in_progress") for i in range(6, 10)]
                       + [row(i, "submitted", "paper") for i in range(10, 12)])
    db.session.commit()
    assert kept() == recounted() == {(survey_id, "2026-03-01", "online"): 2,
                                     (survey_id, "2026-03-02", "online"): 4,
                                     (survey_id, "2026-03-02", "paper"): 2}
    # A resident's submit (the guarded UPDATE), a page save (no change), a channel correction.
    first_unsent = db.session.scalar(select(func.min(Response.id)).where(
        Response.status == "in_progress"))
    db.session.execute(update(Response).where(Response.id == first_unsent).values(
        status="submitted", reference="T000-9999", submitted_at=DAY - timedelta(days=1)))
    db.session.execute(update(Response).where(Response.status == "in_progress")
                       .values(current_page="home", answers={"x": 1}))
    db.session.execute(update(Response).where(Response.channel == "paper").values(
        channel="import", batch=None, sheet_number=None))
    db.session.commit()
    assert kept() == recounted()
    assert kept()[(survey_id, "2026-02-28", "online")] == 1
    assert kept()[(survey_id, "2026-03-02", "import")] == 2
    # Erasure of one response, then a bulk delete, then the survey itself.
    db.session.execute(delete(Response).where(Response.id == first_unsent))
    db.session.execute(delete(Response).where(Response.channel == "import"))
    db.session.commit()
    assert kept() == recounted()
    assert (survey_id, "2026-02-28", "online") not in kept()
    assert sum(kept().values()) == 6
    db.session.execute(delete(Response))
    db.session.commit()
    assert kept() == {}
