"""Results from answers grouped in the database (issue 21) are the figures of the per-response
path they replaced, to the last bit: weighted and unweighted, with suppressed small counts,
odd answers, Bengali labels and an erased response; on SQLite and on PostgreSQL."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

import surveys
from engage.demo import surveys as demo_surveys
from engage.extensions import db
from engage.models import Response, Survey, WeightingRun
from engage.services.code import weighting as w
from engage.services.code.weighting import profiles, tallies
from engage.services.collect import privacy
from engage.services.collect.published_surveys import loaded_definition
from engage.services.report import export_rows, headline_results, insight_report
from surveys.weighting.results import SUPPORTED
from tests.engage.weighting_helpers import demo_survey
from tests.pages import make_user


def _closed(survey: Survey) -> list[surveys.Question]:
    definition = loaded_definition(survey.versions[-1])
    return [q for q in definition.questions if q.type in SUPPORTED]


def _old(survey: Survey, run: WeightingRun | None, min_count: int) -> list[surveys.QuestionResult]:
    """The figures as computed before: every response's answers read and decoded in Python."""
    closed = _closed(survey)
    answers = profiles.closed_answers(survey.id, [q.id for q in closed])
    weights = {str(k): v for k, v in w.run_weights(run).items()} if run is not None else None
    return surveys.questions_results(closed, answers, weights, min_count=min_count)


def _new(survey: Survey, run: WeightingRun | None, min_count: int) -> list[surveys.QuestionResult]:
    closed = _closed(survey)
    grouped = tallies.grouped_answers(survey.id, [q.id for q in closed])
    weights = tallies.run_weights(run.id) if run is not None else None
    return surveys.grouped_results(closed, grouped.questions, weights, min_count=min_count)


def _odd_answers(survey: Survey) -> None:
    """Answers the old loop skips or reads in a particular way, written into a few responses."""
    rows = list(db.session.scalars(select(Response).where(
        Response.survey_id == survey.id, Response.status == "submitted")
        .order_by(Response.id).limit(9)))
    odd = [{"area-rating": "7"}, {"area-rating": 7.0}, {"area-rating": True},
           {"services-used": ["parks", "not-an-option"]}, {"services-used": []},
           {"services-used": ["parks", "parks"]}, {"area-rating": None, "crime-asb": 3},
           {"services-used": "parks", "area-rating": 11}, {"library-frequency": ["weekly"]}]
    for row, change in zip(rows, odd, strict=True):
        row.answers = {**(row.answers or {}), **change}
    db.session.commit()


def test_grouped_results_are_the_per_response_figures(app: Flask) -> None:
    survey = demo_survey(300)
    _odd_answers(survey)
    for least in (10, 40):  # 40: several answers suppressed
        assert _new(survey, None, least) == _old(survey, None, least)
    w.load_illustrative_population(survey)
    run = w.run_weighting(survey).run
    assert run is not None
    weighted = _new(survey, run, 10)
    assert weighted == _old(survey, run, 10)
    assert any(c.weighted_percent != c.percent for r in weighted for c in r.categories
               if c.suppressed is None)
    assert any(c.suppressed for r in _new(survey, run, 40) for c in r.categories)
    assert _new(survey, run, 40) == _old(survey, run, 40)
    # A response sent after the run has no weight: counted as such, left out of the figures.
    for _ in demo_surveys.load(target=301, seed=6):
        pass
    later = _new(survey, run, 10)
    assert later == _old(survey, run, 10) and sum(r.no_weight for r in later) > 0
    # An erased response leaves both paths alike.
    newest = db.session.scalars(select(Response).where(Response.status == "submitted")
                                .order_by(Response.id.desc())).first()
    assert newest is not None and newest.reference
    privacy.erase_response(newest.reference, make_user(role="admin", email="e@example.org"))
    db.session.expire_all()
    assert _new(survey, run, 10) == _old(survey, run, 10)


def test_weighted_results_and_report_headlines_in_bengali_match_the_old_path(
        app: Flask) -> None:
    survey = demo_survey(200)
    w.load_illustrative_population(survey)
    run = w.run_weighting(survey).run
    assert run is not None
    shown = w.weighted_results(survey, language="bn")
    old = _old(survey, run, shown.min_count)
    assert [q.result for q in shown.questions] == old
    assert shown.responses == 200 and shown.unweighted_responses == 0
    definition = loaded_definition(survey.versions[-1])
    labels = [[r.label for r in q.rows] for q in shown.questions]
    assert labels == [[definition.answer_label(definition.question(q.question_id), c.option,
                                               "bn") for c in q.result.categories]
                      for q in shown.questions]
    english = [[definition.answer_label(definition.question(q.question_id), r.figures.option,
                                        "en") for r in q.rows] for q in shown.questions]
    assert labels != english  # worded in Bengali
    source = export_rows.load_source(survey.slug)
    items = headline_results.headlines(source, "bn")
    assert [h.result for h in items] == old and all(h.weighted for h in items)
    report = insight_report.build_report(survey.slug, "bn")
    assert report.weighted and report.responses == 200
    assert {h.question_id for h in report.headlines} <= {q.id for q in _closed(survey)}


def test_profile_counts_and_response_count_from_grouped_answers(app: Flask) -> None:
    """Who took part (ward, age, sex) counted from grouped answers: as the per-response loop
    counted them; and the kept count of submitted responses is the live count."""
    from collections import Counter

    survey = demo_survey(150)
    source = export_rows.load_source(survey.slug)
    answers = profiles.closed_answers(survey.id, sorted(source.kept))
    where = insight_report._profile_questions(source)
    expected: dict[str, Counter[str]] = {d: Counter() for d, _ in insight_report.DIMENSIONS}
    for given in answers.values():
        for dim, _name in insight_report.DIMENSIONS:
            value = given.get(where[dim])
            if dim == "ward" and isinstance(value, dict):
                value = value.get("ward")
            if isinstance(value, str):
                expected[dim][value] += 1
    grouped = export_rows.closed_answers(source)
    assert insight_report._profile_counts(source, grouped) == expected
    assert grouped.responses == len(answers) == source.count == 150
    assert profiles.submitted_count(survey.id) == 150
