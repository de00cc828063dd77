"""Weighting services: the answer → cell mapping, targets, quotas, runs and stored weights."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

import surveys
from engage.demo.surveys import demo_definition
from engage.extensions import db
from engage.models import (
    AuditEvent,
    PopulationCell,
    PopulationTarget,
    QuotaTarget,
    Response,
    ResponseWeight,
    WeightingRun,
)
from engage.services.code import weighting as w
from surveys.weighting import default_categories
from tests.engage.weighting_helpers import demo_survey
from tests.pages import make_user

ILLUSTRATIVE = Path(surveys.__file__).parent / "data" / "population-illustrative.csv"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# --- how ward, age band and sex are read from answers -------------------------------------

@pytest.fixture(scope="module")
def definition() -> surveys.Survey:
    return surveys.load_survey_or_raise(demo_definition())


def test_demo_survey_stores_the_cell_in_these_questions(definition: surveys.Survey) -> None:
    answers = {"ward": {"ward": "bow-east"}, "about-you-age": "25-34", "about-you-sex": "female",
               "about-you-religion": "muslim"}
    assert w.weighting_profile(definition, answers) == {"ward": "bow-east", "age": "25-34",
                                                        "sex": "female"}
    assert w.response_cell(definition, answers) == ("bow-east", "25-34", "female")


@pytest.mark.parametrize("answers, expected", [
    ({"ward": {"postcode": "E3 2AB"}, "about-you-age": "65-plus", "about-you-sex": "male"},
     {"ward": None, "age": "65-plus", "sex": "male"}),
    ({"ward": {"ward": "bow-east"}, "about-you-age": "prefer-not-to-say",
      "about-you-sex": "prefer-not-to-say"}, {"ward": "bow-east", "age": None, "sex": None}),
    ({}, {"ward": None, "age": None, "sex": None}),
    ({"ward": "bow-east", "about-you-age": 7, "about-you-sex": ["male"]},
     {"ward": None, "age": None, "sex": None}),
])
def test_unknown_values_are_none(definition: surveys.Survey, answers: dict[str, object],
                                 expected: dict[str, str | None]) -> None:
    assert w.weighting_profile(definition, answers) == expected
    assert w.response_cell(definition, answers) is None


def test_reader_agrees_with_the_survey_engines_profile(definition: surveys.Survey) -> None:
    import random

    from engage.demo.answers import generate_answers

    rng = random.Random(11)
    read = w.profile_reader(definition)
    postcodes = 0
    for _ in range(400):
        answers = generate_answers(definition, rng)
        engine = surveys.respondent_profile(definition, answers)
        expected = {d: (engine[d] if engine[d] not in (None, "", "prefer-not-to-say",
                                                        "dont-know") else None)
                    for d in ("ward", "age", "sex")}
        assert read(answers) == expected
        postcodes += "postcode" in (answers.get("ward") or {})
    assert postcodes > 0


def test_mapping_categories_are_the_population_files(definition: surveys.Survey) -> None:
    allowed = default_categories()
    age = definition.demographic_question("age")
    sex = definition.demographic_question("sex")
    ward = next(q for q in definition.questions if q.type == "ward-postcode")
    assert age is not None and sex is not None
    assert set(allowed["age"]) <= set(age.option_ids)
    assert set(allowed["sex"]) <= set(sex.option_ids)
    assert set(allowed["ward"]) == set(ward.option_ids)
    assert w.POPULATION_COLUMNS == {"ward": "ward", "age": "age_band", "sex": "sex"}


def test_complete_responses_reads_profiles_of_submitted_only(app: Flask) -> None:
    survey = demo_survey(60)
    rows = list(w.complete_responses(survey.id))
    assert len(rows) == 60
    assert all(set(r.profile) == {"ward", "age", "sex"} for r in rows)
    assert sum(r.profile["ward"] is not None for r in rows) > 30
    online = list(w.complete_responses(survey.id, channel="online"))
    assert 0 < len(online) < 60 and all(r.channel == "online" for r in online)


# --- population targets --------------------------------------------------------------------

def test_upload_saves_the_population_and_audits(app: Flask) -> None:
    survey = demo_survey(10)
    user = make_user()
    upload = w.upload_population(survey, ILLUSTRATIVE.read_bytes(), filename="pop.csv",
                                 label="Census 2021", actor=user)
    assert upload.target is not None and not upload.problems
    assert upload.target.total == surveys.illustrative_population().total
    assert not upload.target.illustrative
    assert _count(PopulationCell) == 240
    target, population = w.current_population(survey)  # type: ignore[misc]
    assert target.label == "Census 2021" and population.total == upload.target.total
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "weighting.population_upload"))
    assert event is not None and event.actor_id == user.id and event.detail["cells"] == 240


def test_bad_upload_reports_every_bad_row_and_saves_nothing(app: Flask) -> None:
    survey = demo_survey(10)
    lines = ILLUSTRATIVE.read_text("utf-8").splitlines()
    lines[5] = "bow-est,16-24,female,100"
    lines[9] = "bow-east,16-24,female,-3"
    lines[12] = "bow-east,teen,male,10"
    upload = w.upload_population(survey, "\n".join(lines).encode(), filename="bad.csv")
    assert upload.target is None
    assert {p.row for p in upload.problems} >= {6, 10, 13}
    assert _count(PopulationTarget) == 0 and _count(PopulationCell) == 0
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "weighting.population_upload")) is None


@pytest.mark.parametrize("data, why", [
    (b"\xff\xfe\x00bad", "UTF-8"), (b"", "empty"), (b"x" * (3 * 1024 * 1024), "2 MB")])
def test_unreadable_uploads_are_explained(app: Flask, data: bytes, why: str) -> None:
    survey = demo_survey(10)
    upload = w.upload_population(survey, data)
    assert upload.target is None and why in upload.problems[0].message


def test_illustrative_population_is_labelled(app: Flask) -> None:
    survey = demo_survey(10)
    target = w.load_illustrative_population(survey)
    assert target.illustrative and "ILLUSTRATIVE" in target.label
    assert w.current_population(survey)[0].id == target.id  # type: ignore[index]


# --- quotas --------------------------------------------------------------------------------

def test_quotas_from_population_add_up_and_replace(app: Flask) -> None:
    survey = demo_survey(10)
    with pytest.raises(LookupError):
        w.quotas_from_population(survey, 1000)
    w.load_illustrative_population(survey)
    quotas = w.quotas_from_population(survey, 1000)
    assert sum(quotas.values()) == 1000 and len(quotas) == 240
    assert w.current_quotas(survey) == quotas
    total = w.set_quotas(survey, {("bow-east", "16-24", "female"): 12})
    assert total == 12 and _count(QuotaTarget) == 1
    with pytest.raises(ValueError):
        w.set_quotas(survey, {("bow-east", "16-24", "female"): -1})
    assert _count(QuotaTarget) == 1
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("weighting.quotas_set") == 2


# --- weighting runs ------------------------------------------------------------------------

def test_run_without_population_explains(app: Flask) -> None:
    survey = demo_survey(10)
    outcome = w.run_weighting(survey)
    assert outcome.run is None and outcome.problems[0].kind == "no-population"
    assert _count(WeightingRun) == 0


def test_raking_converges_on_the_demo_data_and_meets_margins(app: Flask) -> None:
    survey = demo_survey(400)
    w.load_illustrative_population(survey)
    user = make_user()
    outcome = w.run_weighting(survey, actor=user)
    run = outcome.run
    assert run is not None and not outcome.problems
    assert run.converged and run.respondents == 400 and run.created_by_id == user.id
    assert run.max_margin_error < 0.001
    assert run.design_effect >= 1 and 0 < run.effective_sample_size <= 400
    # Recompute the weighted margins from the stored weights: within 0.1 percentage points.
    weights = w.run_weights(run)
    assert len(weights) == 400
    rows = {r.id: r.profile for r in w.complete_responses(survey.id)}
    _, population = w.current_population(survey)  # type: ignore[misc]
    for dim, targets in population.margins().items():
        total_people = sum(targets.values())
        known = {rid: p[dim] for rid, p in rows.items() if p[dim] is not None}
        base = sum(weights[rid] for rid in known)
        for category, people in targets.items():
            got = sum(weights[rid] for rid, c in known.items() if c == category) / base
            assert abs(got - people / total_people) < 0.001, (dim, category)
    fits = run.report["margins"]
    assert len(fits) == 20 + 6 + 2 and all(abs(f["weighted"] - f["target"]) < 0.001
                                           for f in fits)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "weighting.run"))
    assert event is not None and event.detail["run"] == run.id


def test_weights_are_kept_per_run_and_the_latest_is_current(app: Flask) -> None:
    survey = demo_survey(200)
    w.load_illustrative_population(survey)
    first = w.run_weighting(survey).run
    second = w.run_weighting(survey, w.RunSettings(trim_upper=2.0, trim_lower=0.5)).run
    assert first is not None and second is not None
    assert w.latest_run(survey).id == second.id  # type: ignore[union-attr]
    assert [r.id for r in w.weighting_runs(survey)] == [second.id, first.id]
    assert _count(ResponseWeight) == 400
    assert max(w.run_weights(second).values()) <= 2.0 * 1.0001
    assert second.parameters["trim_upper"] == 2.0


def test_drop_policy_leaves_unknowns_without_weight(app: Flask) -> None:
    survey = demo_survey(200)
    w.load_illustrative_population(survey)
    outcome = w.run_weighting(survey, w.RunSettings(missing="drop"))
    assert outcome.run is not None
    unknown = sum(1 for r in w.complete_responses(survey.id) if None in r.profile.values())
    assert unknown > 0 and len(w.run_weights(outcome.run)) == 200 - unknown
    assert "dropped" in {x.kind for x in outcome.warnings}


def test_deleting_a_response_removes_its_weights(app: Flask) -> None:
    survey = demo_survey(50)
    w.load_illustrative_population(survey)
    outcome = w.run_weighting(survey)
    assert outcome.run is not None, outcome.problems
    response = db.session.scalar(select(Response).limit(1))
    db.session.delete(response)
    db.session.commit()
    assert _count(ResponseWeight) == 49


# --- weighted results and fieldwork ----------------------------------------------------------

def test_weighted_results_use_the_latest_run_or_a_chosen_one(app: Flask) -> None:
    survey = demo_survey(300)
    plain = w.weighted_results(survey)
    assert plain.run is None and plain.questions
    first_q = plain.questions[0]
    assert all(c.weighted_percent == pytest.approx(c.percent) for c in first_q.result.categories
               if c.suppressed is None)
    w.load_illustrative_population(survey)
    first = w.run_weighting(survey).run
    second = w.run_weighting(survey, w.RunSettings(trim_upper=1.5, trim_lower=0.7)).run
    assert first is not None and second is not None
    latest = w.weighted_results(survey)
    assert latest.run is not None and latest.run.id == second.id
    chosen = w.weighted_results(survey, first)
    assert chosen.run is not None and chosen.run.id == first.id
    # The figures are the core's, on the stored weights of that run.
    definition = surveys.load_survey_or_raise(demo_definition())
    rows = {str(r.id): r.answers for r in w.complete_responses(survey.id)}
    weights = {str(k): v for k, v in w.run_weights(first).items()}
    table = chosen.questions[0]
    question = next(q for q in definition.questions if q.id == table.question_id)
    expected = surveys.question_results(question, rows, weights)
    assert table.result == expected
    assert any(c.weighted_percent != c.percent for c in table.result.categories
               if c.suppressed is None)
    choice = next(q for q in chosen.questions if q.result.type == "single-choice")
    shown = [r for r in choice.rows if r.figures.suppressed is None]
    assert shown and all(r.label and r.label != r.figures.option for r in shown)
    assert all(q.result.type in ("single-choice", "agreement", "rating", "multiple-choice")
               for q in latest.questions)
    unweighted = w.weighted_results(survey, weighted=False)
    assert unweighted.run is None


def test_results_suppress_small_cells_and_count_unweighted_responses(app: Flask) -> None:
    survey = demo_survey(150)
    w.load_illustrative_population(survey)
    assert w.run_weighting(survey).run is not None
    for _ in w_demo_top_up(170):
        pass
    results = w.weighted_results(survey, min_count=30)
    assert results.responses == 170 and results.unweighted_responses == 20
    assert any(t.result.no_weight for t in results.questions)
    for table in results.questions:
        assert table.result.no_weight <= 20
        for row in table.rows:
            assert (row.figures.suppressed is not None) == (
                table.result.base < 30 or (row.figures.count or 0) < 30)


def w_demo_top_up(target: int):  # type: ignore[no-untyped-def]
    from engage.demo import surveys as demo

    return demo.load(target=target, seed=7)


def test_fieldwork_counts_cells_and_margins(app: Flask) -> None:
    survey = demo_survey(150)
    w.load_illustrative_population(survey)
    w.quotas_from_population(survey, 600)
    view = w.fieldwork(survey)
    progress = view.progress
    assert view.has_quotas and progress.achieved == 150 and progress.target == 600
    rows = list(w.complete_responses(survey.id))
    placed = sum(1 for r in rows if None not in r.profile.values())
    assert progress.achieved - progress.unplaced == placed
    assert sum(c.achieved for c in progress.cells) == placed
    sex = [m for m in progress.margins if m.dimension == "sex"]
    assert sum(m.achieved for m in sex) == sum(1 for r in rows if r.profile["sex"])
    online = w.fieldwork(survey, channel="online")
    assert online.channel == "online" and online.progress.achieved == sum(
        1 for r in rows if r.channel == "online")
    assert w.fieldwork(survey, channel="bogus").channel is None
    assert "online" in view.channels
    labels = w.category_labels(survey, "bn")
    assert labels["ward"]["bow-east"] != "bow-east" and labels["age"]["16-24"]


def test_fieldwork_kept_per_data_version_follows_new_changed_and_erased_responses(
        app: Flask) -> None:
    from sqlalchemy import update

    from engage.demo import surveys as demo
    from engage.models import Response

    survey = demo_survey(100)
    w.load_illustrative_population(survey)
    w.quotas_from_population(survey, 500)
    assert w.fieldwork(survey).progress.achieved == 100
    for _ in demo.load(target=110, seed=6):  # ten more sent
        pass
    assert w.fieldwork(survey).progress.achieved == 110
    first = db.session.scalar(select(Response).where(Response.survey_id == survey.id)
                              .order_by(Response.id).limit(1))
    assert first is not None
    placed = w.fieldwork(survey).progress.achieved - w.fieldwork(survey).progress.unplaced
    answers = dict(first.answers)
    answers.pop("ward", None)  # a correction: the ward removed, so no longer placed
    db.session.execute(update(Response).where(Response.id == first.id).values(
        answers=answers, updated_at=first.updated_at.replace(year=2099)))
    db.session.commit()
    again = w.fieldwork(survey).progress
    assert again.achieved - again.unplaced == placed - 1
    db.session.delete(first)
    db.session.commit()
    assert w.fieldwork(survey).progress.achieved == 109


def test_demo_loader_sets_targets_quotas_and_a_run_once(app: Flask) -> None:
    from engage.demo import weighting as weighting_demo

    survey = demo_survey(300)
    lines = list(weighting_demo.load())
    assert len(lines) == 3 and "ILLUSTRATIVE" in lines[0]
    run = w.latest_run(survey)
    assert run is not None and run.converged and run.max_margin_error < 0.001
    assert w.current_population(survey)[0].illustrative  # type: ignore[index]
    assert list(weighting_demo.load()) == []  # idempotent
    assert _count(WeightingRun) == 1


def test_fieldwork_filters_by_batch(app: Flask) -> None:
    survey = demo_survey(120)
    w.load_illustrative_population(survey)
    w.quotas_from_population(survey, 500)
    view = w.fieldwork(survey)
    assert view.batches, "the demo responses have fieldwork batches"
    batch = view.batches[0]
    rows = list(w.complete_responses(survey.id))
    expected = sum(1 for r in rows if r.batch == batch)
    filtered = w.fieldwork(survey, batch=batch)
    assert filtered.batch == batch and 0 < filtered.progress.achieved == expected < 120
    both = w.fieldwork(survey, channel="paper", batch=batch)
    assert both.progress.achieved == sum(1 for r in rows if r.batch == batch
                                         and r.channel == "paper")


def test_weights_are_written_in_short_batches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.code.weighting import runs

    survey = demo_survey(200)
    w.load_illustrative_population(survey)
    monkeypatch.setattr(runs, "INSERT_BATCH", 30)
    commits = []
    original = runs.in_transaction
    monkeypatch.setattr(runs, "in_transaction",
                        lambda work: commits.append(1) or original(work))
    run = w.run_weighting(survey).run
    assert run is not None and run.completed_at is not None
    assert len(w.run_weights(run)) == 200
    assert len(commits) == 1 + 7 + 1  # the run, 7 batches of weights, the finish and audit


def test_a_run_that_fails_while_storing_leaves_nothing(app: Flask,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.code.weighting import runs

    survey = demo_survey(100)
    w.load_illustrative_population(survey)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs, "_finish", broken)
    with pytest.raises(RuntimeError):
        w.run_weighting(survey)
    assert _count(WeightingRun) == 0 and _count(ResponseWeight) == 0
    assert w.latest_run(survey) is None


def test_an_unfinished_run_is_never_current(app: Flask) -> None:
    survey = demo_survey(100)
    w.load_illustrative_population(survey)
    done = w.run_weighting(survey).run
    assert done is not None
    unfinished = WeightingRun(survey_id=survey.id, parameters={}, converged=True, iterations=1,
                              max_margin_error=0.0, respondents=0, effective_sample_size=0.0,
                              design_effect=1.0, min_weight=1.0, max_weight=1.0, report={})
    db.session.add(unfinished)
    db.session.commit()
    assert w.latest_run(survey).id == done.id  # type: ignore[union-attr]
    assert [r.id for r in w.weighting_runs(survey)] == [done.id]


def test_results_are_remembered_until_the_data_changes(app: Flask) -> None:
    survey = demo_survey(150)
    w.load_illustrative_population(survey)
    w.run_weighting(survey)
    first = w.weighted_results(survey)
    again = w.weighted_results(survey)
    assert again.questions is first.questions  # served from memory
    for _ in w_demo_top_up(160):
        pass
    topped = w.weighted_results(survey)
    assert topped.questions is not first.questions and topped.unweighted_responses == 10
    rerun = w.run_weighting(survey).run
    assert rerun is not None
    latest = w.weighted_results(survey)
    assert latest.run is not None and latest.run.id == rerun.id
    assert latest.unweighted_responses == 0
    response = db.session.scalar(select(Response).where(Response.status == "submitted"))
    response.answers = {**response.answers, "about-you-age": "16-24"}
    from engage.models._types import utcnow
    response.updated_at = utcnow()
    db.session.commit()
    assert w.weighted_results(survey).questions is not latest.questions


def test_starting_a_run_is_one_retrying_transaction(app: Flask,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Queueing a weighting run (its job and audit row) waits out a brief lock (issue 20):
    one job, audited once, then run."""
    from engage.models import AuditEvent, Job
    from tests.locks import locked_once

    survey = demo_survey(10)
    user = make_user(role="analyst")
    failed = locked_once(monkeypatch)
    job = w.start_weighting(survey, actor=user)
    assert failed == [1]
    assert job.status in ("succeeded", "failed")  # run at once in the tests
    assert _count(Job) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "weighting.run_started")) == 1
