"""Demo: the published survey `residents-2026` and about 2,000 demo responses."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import timedelta
from importlib import resources

from sqlalchemy import func, select

import surveys
from engage.demo.answers import generate_response
from engage.extensions import db
from engage.models import (
    FreeTextAnswer,
    InterviewerTarget,
    PaperRekey,
    Response,
    Survey,
    User,
)
from engage.models._types import utcnow
from engage.services.collect.published_surveys import loaded_definition, publish_definition
from engage.services.platform.references import new_reference

SLUG = "residents-2026"
TARGET_RESPONSES = 2000
LAWFUL_BASIS = ("Public task: the council and its partners need residents' views to plan "
                "services (UK GDPR Article 6(1)(e)). Equality questions: substantial public "
                "interest, equality of opportunity (Article 9(2)(g)).")
PRIVACY = ("Your answers are anonymous unless you choose to tell us who you are. We keep them "
           "for two years, then delete them. We publish only summaries.")
CHANNEL_MIX = [("online", 70), ("face_to_face", 15), ("phone", 8), ("paper", 7)]


def _fieldwork(response: Response, *, number: int, interviewer_id: int | None) -> None:
    """The channel details a real response of that channel would carry (issue 6)."""
    if response.channel in ("face_to_face", "phone"):
        response.consent_recorded_at = response.started_at
        response.interviewer_id = interviewer_id
        response.batch = f"Fieldwork week {number % 4 + 1}"
        response.proxy = number % 23 == 0
    elif response.channel == "paper":
        response.batch = f"Paper batch {number % 3 + 1}"
        response.sheet_number = str(number)


def demo_definition() -> dict[str, object]:
    """The demo survey definition shipped with Engage."""
    text = resources.files("engage.demo").joinpath("residents-2026.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def load(target: int = TARGET_RESPONSES, seed: int = 2026) -> Iterator[str]:
    """Publish the demo survey if missing and top its responses up to the target."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    if survey is None:
        publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        yield f"Published the demo survey /s/{SLUG}/"
    assert survey is not None
    version = survey.versions[-1]
    definition = loaded_definition(version)
    have = db.session.scalar(select(func.count(Response.id)).where(
        Response.survey_id == survey.id, Response.status == "submitted")) or 0
    if have >= target:
        yield f"Demo survey responses: {have} already there"
        yield from _fieldwork_extras(survey.id)
        return
    rng = random.Random(seed + have)
    interviewer_id = db.session.scalar(
        select(User.id).where(User.role == "interviewer").order_by(User.id).limit(1))
    channels = [c for c, _w in CHANNEL_MIX]
    weights = [w for _c, w in CHANNEL_MIX]
    now = utcnow()
    made = 0
    while have + made < target:
        batch = min(250, target - have - made)
        for i in range(batch):
            generated = generate_response(definition, rng)
            answers = generated["answers"]
            assert isinstance(answers, dict)
            language = str(generated["language"])
            channel = rng.choices(channels, weights)[0]
            submitted = now - timedelta(days=rng.uniform(1, 60), minutes=rng.uniform(0, 1440))
            started = submitted - timedelta(minutes=rng.uniform(4, 25))
            response = Response(survey_id=survey.id, survey_version_id=version.id,
                                status="submitted", channel=channel, language=language,
                                answers=answers, reference=new_reference(), started_at=started,
                                updated_at=submitted, submitted_at=submitted)
            _fieldwork(response, number=have + made + 1 + i, interviewer_id=interviewer_id)
            response.free_texts = [
                FreeTextAnswer(survey_id=survey.id, survey_version_id=version.id,
                               question_id=qid, text=text, language=language, channel=channel,
                               submitted_at=submitted)
                for qid, text in surveys.free_text_answers(definition, answers)
            ]
            db.session.add(response)
        db.session.commit()
        made += batch
    yield f"Demo survey responses: {made} created ({have + made} in all)"
    yield from _fieldwork_extras(survey.id)


def _fieldwork_extras(survey_id: int) -> Iterator[str]:
    """The demo interviewer's target, and a second keying of a few paper sheets (issue 6)."""
    interviewer_id = db.session.scalar(
        select(User.id).where(User.role == "interviewer").order_by(User.id).limit(1))
    if interviewer_id is not None and db.session.scalar(select(func.count(
            InterviewerTarget.id)).where(InterviewerTarget.survey_id == survey_id)) == 0:
        db.session.add(InterviewerTarget(survey_id=survey_id, interviewer_id=interviewer_id,
                                         target=400, updated_at=utcnow()))
        db.session.commit()
        yield "Demo interviewer target: 400 interviews"
    if db.session.scalar(select(func.count(PaperRekey.id))) == 0:
        sheets = db.session.scalars(select(Response).where(
            Response.survey_id == survey_id, Response.channel == "paper",
            Response.status == "submitted").order_by(Response.id).limit(8)).all()
        for i, sheet in enumerate(sheets):
            again = dict(sheet.answers or {})
            if i % 3 == 0:  # a slip of the keyer's hand on every third sheet
                numeric = [k for k, v in again.items() if isinstance(v, int)
                           and not isinstance(v, bool)]
                text = [k for k, v in again.items() if isinstance(v, str) and " " in v]
                if text:
                    again[text[0]] = again[text[0]].rsplit(" ", 1)[0]
                elif numeric:
                    again[numeric[0]] = again[numeric[0]] + 1
            db.session.add(PaperRekey(response_id=sheet.id, answers=again, keyed_at=utcnow()))
        db.session.commit()
        if sheets:
            yield f"Demo second keying: {len(sheets)} paper sheets keyed twice"
