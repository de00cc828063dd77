"""Survey builder services: demo draft, publishing, audit, results access."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, SurveyDraft, SurveyVersion
from engage.services.collect import drafts
from engage.services.collect.published_surveys import InvalidDefinition
from engage.services.platform import results_policy


def test_demo_draft_is_made_once_and_needs_only_its_settings(app: Flask) -> None:
    from engage.demo import builder as demo

    (first,) = demo.load()
    (second,) = demo.load()
    assert first.endswith("/staff/surveys/libraries-2027/build")
    assert "already there" in second
    draft = db.session.scalar(select(SurveyDraft))
    checked = drafts.check_draft(draft)
    assert [p.kind for p in checked.problems] == ["settings", "settings"]
    assert [p.path for p in checked.warnings] == [
        "sections[0].pages[1].questions[0].title.bn"]
    with pytest.raises(InvalidDefinition):
        drafts.publish_draft(None, draft)
    assert db.session.scalar(select(func.count(SurveyVersion.id))) == 0
    drafts.update_settings(None, draft, drafts.Settings(
        "public_task", "Notice", 365, False, ["analyst"], []))
    version = drafts.publish_draft(None, draft)
    assert (version.number, version.retention_days, version.anonymous) == (1, 365, False)
    assert db.session.scalar(select(func.count(SurveyDraft.id))) == 0
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["survey.create", "survey.draft.demo", "survey.settings",
                       "survey.publish"]


def test_a_change_that_renames_the_survey_is_refused(app: Flask) -> None:
    draft = drafts.create_survey(None, "parks", {"en": "Parks"}, ["en"])
    with pytest.raises(drafts.BuilderError, match="slug_changed"):
        drafts.change_definition(None, draft, lambda d: {**d, "id": "other"}, "details")
    with pytest.raises(drafts.BuilderError, match="slug_taken"):
        drafts.create_survey(None, "parks", {"en": "Parks"}, ["en"])


def test_results_access_defaults_and_partners(app: Flask) -> None:
    from tests.pages import make_user

    draft = drafts.create_survey(None, "parks", {"en": "Parks"}, ["en"])
    survey = draft.survey
    analyst = make_user("a@example.org", role="analyst")
    officer = make_user("o@example.org", role="engagement_officer")
    partner = make_user("p@example.org", role="partner_viewer")
    admin = make_user("ad@example.org", role="admin")
    assert results_policy.may_see_results(analyst, survey)
    assert results_policy.may_see_results(officer, survey)
    assert not results_policy.may_see_results(partner, survey)
    assert not results_policy.may_see_results(None, survey)
    survey.results_roles, survey.results_organisations = [], ["demo partnership"]
    partner.organisation = "Demo Partnership"
    db.session.commit()
    assert results_policy.may_see_results(partner, survey)
    assert results_policy.may_see_results(admin, survey)
    assert not results_policy.may_see_results(analyst, survey)
