"""P2: retention purge (time-travel: "now" is passed in) and erasure of one response by its
reference, each removing what was derived from the responses; S18 audit rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    AuditEvent,
    FreeTextAnswer,
    Response,
    ResponseWeight,
    RunText,
    SurveyVersion,
    Theme,
    ThemeMembership,
    ThemeQuote,
    WeightingRun,
)
from engage.models._types import utcnow
from engage.services.collect import privacy
from engage.services.platform import jobs
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

N = 90


def _world(retention_days: int = 30) -> None:
    """Demo responses (sent 1-60 days ago) with free text, a theme analysis and weights."""
    demo_texts(N)
    finished_run(analyst())
    survey_id = db.session.scalar(select(Response.survey_id).limit(1))
    run = WeightingRun(survey_id=survey_id, converged=True, iterations=1, max_margin_error=0.0,
                       respondents=N, effective_sample_size=N, design_effect=1.0,
                       min_weight=1.0, max_weight=1.0)
    db.session.add(run)
    db.session.flush()
    for rid in db.session.scalars(select(Response.id).where(Response.status == "submitted")):
        db.session.add(ResponseWeight(run_id=run.id, response_id=rid, weight=1.0))
    for version in db.session.scalars(select(SurveyVersion)):
        version.retention_days = retention_days
    db.session.commit()


def _count(model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _survey_text_ids(response_ids: list[int]) -> list[int]:
    free = [str(i) for i in db.session.scalars(
        select(FreeTextAnswer.id).where(FreeTextAnswer.response_id.in_(response_ids)))]
    return list(db.session.scalars(select(AnalysisText.id).where(
        AnalysisText.source == "survey", AnalysisText.source_id.in_(free))))


def _derived(response_ids: list[int]) -> dict[str, int]:
    """Everything left that was made from these responses."""
    text_ids = _survey_text_ids(response_ids)
    return {
        "responses": _count(Response, Response.id.in_(response_ids)),
        "free_texts": _count(FreeTextAnswer, FreeTextAnswer.response_id.in_(response_ids)),
        "weights": _count(ResponseWeight, ResponseWeight.response_id.in_(response_ids)),
        "analysis_texts": len(text_ids),
        "respondent_texts": _count(AnalysisText, AnalysisText.respondent.in_(
            [f"response:{i}" for i in response_ids])),
        "memberships": _count(ThemeMembership, ThemeMembership.text_id.in_(text_ids)),
        "quotes": _count(ThemeQuote, ThemeQuote.text_id.in_(text_ids)),
        "run_texts": _count(RunText, RunText.text_id.in_(text_ids)),
    }


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _split(cutoff):  # type: ignore[no-untyped-def]
    rows = db.session.execute(select(Response.id, Response.submitted_at).where(
        Response.status == "submitted")).all()
    old = [i for i, at in rows if at < cutoff]
    new = [i for i, at in rows if at >= cutoff]
    return old, new


def test_purge_deletes_only_responses_past_their_retention_date_and_what_came_from_them(
        app: Flask) -> None:
    _world(retention_days=30)
    now = utcnow()
    old, new = _split(now - timedelta(days=30))
    assert old and new, "the demo spreads responses over 60 days"
    before_new = _derived(new)
    assert before_new["memberships"] and before_new["weights"] and before_new["analysis_texts"]
    assert _derived(old)["quotes"] + _derived(new)["quotes"] > 0
    sizes_before = sum(db.session.scalars(select(Theme.size)))

    result = privacy.purge_expired_responses(now)

    db.session.expire_all()
    assert result.removed.responses == len(old)
    assert set(_derived(old).values()) == {0}, _derived(old)
    assert _derived(new) == before_new
    assert sum(db.session.scalars(select(Theme.size))) < sizes_before
    events = _audit("responses.retention_purge")
    assert len(events) == 1
    assert events[0].detail["responses"] == len(old)
    assert events[0].actor_id is None

    # Run again at the same moment: nothing more to do, and no further audit row.
    again = privacy.purge_expired_responses(now)
    assert again.removed.responses == 0
    assert len(_audit("responses.retention_purge")) == 1


def test_nothing_is_deleted_before_the_retention_date(app: Flask) -> None:
    _world(retention_days=730)
    total = _count(Response)
    result = privacy.purge_expired_responses(utcnow() + timedelta(days=600))
    assert result.removed.responses == 0
    assert _count(Response) == total
    assert _audit("responses.retention_purge") == []


def test_time_travel_past_every_retention_date_empties_the_survey(app: Flask) -> None:
    _world(retention_days=30)
    in_progress = Response(survey_id=db.session.scalar(select(Response.survey_id).limit(1)),
                           survey_version_id=db.session.scalar(select(SurveyVersion.id).limit(1)),
                           status="in_progress", expires_at=utcnow() + timedelta(days=400))
    db.session.add(in_progress)
    db.session.commit()
    ids = list(db.session.scalars(select(Response.id).where(Response.status == "submitted")))
    result = privacy.purge_expired_responses(utcnow() + timedelta(days=91), batch=7)
    assert result.removed.responses == len(ids)
    assert set(_derived(ids).values()) == {0}
    assert _count(AnalysisText, AnalysisText.source == "survey") == 0
    # Partial answers are not this job's business (purge-partials handles them).
    assert _count(Response, Response.status == "in_progress") == 1
    assert sum(result.by_survey.values()) == len(ids)


def test_cli_command_purges_with_a_given_now(app: Flask) -> None:
    _world(retention_days=30)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-expired-surveys", "--now", "2001-01-01T00:00"])
    assert result.exit_code == 0, result.output
    assert "Deleted 0 response(s)" in result.output
    later = (utcnow() + timedelta(days=91)).replace(tzinfo=None).isoformat()
    result = runner.invoke(args=["purge-expired-surveys", "--now", later])
    assert result.exit_code == 0, result.output
    assert f"Deleted {N} response(s)" in result.output
    assert _count(Response, Response.status == "submitted") == 0
    bad = runner.invoke(args=["purge-expired-surveys", "--now", "next tuesday"])
    assert bad.exit_code != 0
    assert "date-time" in bad.output


def test_purge_runs_as_a_background_job(app: Flask) -> None:
    _world(retention_days=30)
    later = (utcnow() + timedelta(days=91)).isoformat()
    job = jobs.enqueue(privacy.PURGE_JOB_KIND, {"now": later})
    db.session.expire_all()
    job = jobs.get_job(job.id)
    assert job is not None and job.status == "succeeded", job.error if job else None
    assert job.result is not None and job.result["responses"] == N
    assert _count(Response, Response.status == "submitted") == 0


# --- Erasure of one response by its reference ------------------------------------------------

def _one_with_themes() -> tuple[int, str]:
    """A response whose free text is in a theme (so erasure has derived data to remove)."""
    text_id = db.session.scalar(select(ThemeMembership.text_id).limit(1))
    respondent = db.session.scalar(select(AnalysisText.respondent).where(
        AnalysisText.id == text_id))
    response_id = int(str(respondent).split(":")[1])
    reference = db.session.scalar(select(Response.reference).where(Response.id == response_id))
    return response_id, str(reference)


def test_erase_removes_the_response_and_what_came_from_it_with_one_audit_row(app: Flask) -> None:
    _world(retention_days=730)
    officer = make_user()
    response_id, reference = _one_with_themes()
    others = [i for i in db.session.scalars(select(Response.id)) if i != response_id]
    before_others = _derived(others)
    assert _derived([response_id])["memberships"] > 0

    removed = privacy.erase_response(reference.lower().replace("-", " "), officer, "10.0.0.1")

    db.session.expire_all()
    assert removed.responses == 1 and removed.analysis_texts >= 1
    assert set(_derived([response_id]).values()) == {0}
    assert _derived(others) == before_others
    events = _audit("response.erase")
    assert len(events) == 1
    assert events[0].object_id == reference and events[0].actor_id == officer.id
    # Counts only, never the answers.
    assert all(isinstance(v, int) for v in events[0].detail.values()), events[0].detail


@pytest.mark.parametrize(("typed", "code"), [("nonsense", "bad_reference"),
                                             ("AAAA-BBBB", "not_found")])
def test_erase_refuses_bad_or_unknown_references(app: Flask, typed: str, code: str) -> None:
    _world()
    officer = make_user()
    total = _count(Response)
    with pytest.raises(privacy.ErasureError) as caught:
        privacy.erase_response(typed, officer)
    assert caught.value.code == code
    assert _count(Response) == total
    assert _audit("response.erase") == []


def test_a_failure_part_way_leaves_nothing_half_deleted(app: Flask,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _world(retention_days=730)
    officer = make_user()
    response_id, reference = _one_with_themes()
    before = _derived([response_id])

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy.audit, "record", broken)
    with pytest.raises(RuntimeError):
        privacy.erase_response(reference, officer)
    db.session.expire_all()
    assert _derived([response_id]) == before


def _signed_in(client: FlaskClient, role: str = "engagement_officer") -> None:
    email = f"{role}-privacy@example.org"
    make_user(email=email, role=role)
    assert sign_in(client, email).status_code == 303


PAGE = "/staff/erase-response"


@pytest.mark.parametrize("role", ["engagement_officer", "admin"])
def test_officers_and_admins_find_confirm_and_erase(app: Flask, client: FlaskClient,
                                                    role: str) -> None:
    _world(retention_days=730)
    _signed_in(client, role)
    response_id, reference = _one_with_themes()
    check_page(client.get(PAGE))
    total = _count(Response)

    token = csrf_token(client, PAGE)
    confirm = client.post(PAGE, data={"csrf_token": token, "reference": reference.lower()})
    soup = check_page(confirm)
    assert reference in soup.h1.get_text()
    assert _count(Response) == total, "finding the response must not erase it"
    form = soup.select_one("form[action$='/erase-response/confirm']")
    assert form is not None

    done = client.post("/staff/erase-response/confirm",
                       data={"csrf_token": token, "reference": reference})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(PAGE)
    db.session.expire_all()
    assert set(_derived([response_id]).values()) == {0}
    assert _count(Response) == total - 1
    assert len(_audit("response.erase")) == 1
    page = check_page(client.get(PAGE))
    assert "have been erased" in page.get_text()

    # Confirming again (a double click, or the back button): a clear message, nothing more.
    again = client.post("/staff/erase-response/confirm",
                        data={"csrf_token": token, "reference": reference})
    soup = check_page(again, 400)
    assert error_summary(soup) == ["No response has that reference. Check it and enter it again"]
    assert len(_audit("response.erase")) == 1


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the response reference"),
    ("12", "Enter a reference in the correct format, like K7M3-9QPX"),
    ("AAAA-BBBB", "No response has that reference. Check it and enter it again"),
])
def test_lookup_errors_use_govuk_wording_and_keep_what_was_typed(
        app: Flask, client: FlaskClient, typed: str, message: str) -> None:
    _world()
    _signed_in(client)
    total = _count(Response)
    response = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE),
                                       "reference": typed})
    soup = check_page(response, 400)
    assert error_summary(soup) == [message]
    assert soup.select_one(".govuk-error-message") is not None
    assert soup.select_one("input[name=reference]").get("value", "") == typed
    assert _count(Response) == total


@pytest.mark.parametrize("role", ["analyst", "moderator", "partner_viewer", "interviewer"])
def test_other_roles_may_not_erase(app: Flask, client: FlaskClient, role: str) -> None:
    _world()
    _signed_in(client, role)
    _response_id, reference = _one_with_themes()
    total = _count(Response)
    assert client.get(PAGE).status_code == 403
    token = csrf_token(client, "/ask-the-mayor")
    refused = client.post("/staff/erase-response/confirm",
                          data={"csrf_token": token, "reference": reference})
    assert refused.status_code == 403
    assert _count(Response) == total
    assert _audit("response.erase") == []


def test_erasure_needs_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    _world()
    _signed_in(client)
    _response_id, reference = _one_with_themes()
    total = _count(Response)
    refused = client.post("/staff/erase-response/confirm", data={"reference": reference})
    assert refused.status_code == 400
    assert _count(Response) == total
    assert _audit("response.erase") == []


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]
