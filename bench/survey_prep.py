"""Preparation for the survey benchmark, run in the benchmark's own process against the same
database and secret as the server: publish the demo survey, make complete-but-unsent responses,
and sign session cookies with CSRF tokens for them (as the runner itself would)."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterable
from typing import Any

from itsdangerous import URLSafeTimedSerializer

from engage import create_app
from engage.demo.answers import generate_response
from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, SLUG, demo_definition
from engage.extensions import db
from engage.models import Response
from engage.models._types import utcnow
from engage.services.collect.published_surveys import publish_definition, published_survey

COOKIE = "engage_session"
SHORT_SLUG = "residents-2026-short"


def short_definition() -> dict[str, Any]:
    """The issue's 8-page journey: the demo survey's own pages, eight on every path.

    Your area (3 pages), services used and crime (2; the library page, shown only to some,
    left out), priorities (2) and the age band from the demographics block (1), no routing.
    """
    full = demo_definition()
    sections = {s["id"]: s for s in full["sections"]}
    services = dict(sections["services"])
    services["pages"] = [p for p in services["pages"] if p["id"] != "library-frequency"]
    about = {**sections["about-you"], "include": ["age"]}
    return {**full, "id": SHORT_SLUG, "sections": [sections["your-area"], services,
                                                  sections["priorities"], about]}


def _cookie(app: Any, data: dict[str, Any]) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return str(serializer.dumps(data))


def insert_submitted(survey_id: int, version_id: int, definition: Any, count: int,
                     seed: int = 8) -> None:
    """Bulk-insert `count` submitted responses (copies from a pool of 500 generated ones, with
    references B00000000...) in the app context's session, 5,000 rows a statement; committed."""
    rng = random.Random(seed)
    pool = [generate_response(definition, rng) for _ in range(500)]
    now = utcnow()
    bulk_insert({"survey_id": survey_id, "survey_version_id": version_id,
                 "status": "submitted", "channel": "online",
                 "language": pool[i % len(pool)]["language"],
                 "answers": pool[i % len(pool)]["answers"],
                 "reference": f"B{i:08d}", "started_at": now, "updated_at": now,
                 "submitted_at": now, "current_page": ""} for i in range(count))


def bulk_insert(rows: Iterable[dict[str, Any]], chunk: int = 5000) -> None:
    """Insert response rows in the app context's session, `chunk` rows a statement; committed."""
    from sqlalchemy import insert

    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == chunk:
            db.session.execute(insert(Response), batch)
            batch = []
    if batch:
        db.session.execute(insert(Response), batch)
    db.session.commit()


def prepare(unsent: int, seed: int = 7, journeys: bool = True,
            submitted: int = 0) -> dict[str, Any]:
    """Publish the survey; return page forms for journeys and (cookie, token) pairs to submit.

    ``journeys=False`` skips the journeys' forms (and the short survey); ``submitted`` rows
    already sent are bulk-inserted first (see :func:`insert_submitted`).
    """
    app = create_app()
    rng = random.Random(seed)
    with app.app_context():
        publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        published = published_survey(SLUG)
        if submitted:
            insert_submitted(published.survey_id, published.version_id, published.definition,
                             submitted)
        definition = published.definition
        now = utcnow()
        rows = []
        samples = [generate_response(definition, rng)["answers"] for _ in range(50)]
        for i in range(unsent):
            answers = samples[i % len(samples)]
            rows.append(Response(survey_id=published.survey_id,
                                 survey_version_id=published.version_id, status="in_progress",
                                 channel="online", language="en", answers=answers,
                                 started_at=now, updated_at=now, expires_at=now.replace(
                                     year=now.year + 1)))
        db.session.add_all(rows)
        db.session.commit()
        pairs = []
        # The same signing Flask-WTF and Flask's session use (one token per app context
        # there, so build them directly): a raw token in the session, its signature in the form.
        signer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
        for row in rows:
            raw = hashlib.sha1(os.urandom(64)).hexdigest()
            pairs.append((_cookie(app, {"csrf_token": raw, "surveys": {SLUG: row.id}}),
                          str(signer.dumps(raw))))
        if not journeys:
            return {"pairs": pairs, "journeys": [], "slug": SLUG, "short": None}
        journey_forms = []
        import surveys

        for _ in range(200):
            answers = generate_response(definition, rng)["answers"]
            journey_forms.append([(page, surveys.to_form_data(definition, page, answers))
                             for page in surveys.path(definition, answers)])
        publish_definition(short_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        short = published_survey(SHORT_SLUG).definition
        short_journeys = []
        for _ in range(200):
            answers = generate_response(short, rng)["answers"]
            short_journeys.append([(page, surveys.to_form_data(short, page, answers))
                                   for page in surveys.path(short, answers)])
    return {"pairs": pairs, "journeys": journey_forms, "slug": SLUG,
            "short": {"slug": SHORT_SLUG, "journeys": short_journeys}}
