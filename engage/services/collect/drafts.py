"""The survey builder: drafts, their settings and dates, publishing, import and export.

A survey has at most one draft (`SurveyDraft`). Publishing checks the draft with the engine,
copies it into the next frozen `SurveyVersion` and removes the draft; editing a published
survey starts a new draft from its latest version. Responses keep the version they answered.
Every change is one transaction with one audit row.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import surveys
from engage.extensions import db
from engage.models import Response, Survey, SurveyDraft, SurveyVersion, User
from engage.models._types import utcnow
from engage.services.collect.published_surveys import (
    Check,
    PublishSettings,
    add_version,
    check_publishable,
    forget_published,
)
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys import editing
from surveys.errors import DomainError

LAWFUL_BASES = ("public_task", "consent", "legitimate_interests", "legal_obligation")
MAX_IMPORT_BYTES = 256 * 1024
MAX_RETENTION_DAYS = 3650


class BuilderError(DomainError):
    """A builder action that cannot be done; `code` says why."""

    def __init__(self, code: str, problems: Sequence[surveys.Problem] = ()) -> None:
        super().__init__(code)
        self.problems = list(problems)


def get_survey(slug: str) -> Survey | None:
    """The survey with this slug, or None."""
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def latest_version(survey: Survey) -> SurveyVersion | None:
    """The newest published version of a survey."""
    published = [v for v in survey.versions if v.published_at is not None]
    return published[-1] if published else None


def _audit(actor: User | None, action: str, survey: Survey, **detail: Any) -> None:
    audit.record(action, actor=actor, object_type="survey", object_id=survey.id,
                 detail={"slug": survey.slug, **detail})


def create_survey(actor: User | None, slug: str, title: dict[str, str],
                  languages: Sequence[str]) -> SurveyDraft:
    """A new survey with an empty draft (the slug is its address and cannot change)."""
    if get_survey(slug) is not None:
        raise BuilderError("slug_taken")

    def work() -> SurveyDraft:
        survey = Survey(slug=slug)
        db.session.add(survey)
        db.session.flush()
        draft = SurveyDraft(survey_id=survey.id,
                            definition=editing.new_definition(slug, title, languages),
                            lawful_basis="", privacy_notice="", retention_days=730,
                            anonymous=True)
        db.session.add(draft)
        db.session.flush()
        _audit(actor, "survey.create", survey)
        return draft

    try:
        return in_transaction(work)
    except IntegrityError as exc:  # the same address created at the same moment
        raise BuilderError("slug_taken") from exc


def copy_survey(actor: User | None, source: Survey, slug: str) -> SurveyDraft:
    """A new survey at `slug` whose draft copies the source's draft (or its latest version):
    questions, rules and privacy settings; not its dates, results access or responses."""
    if get_survey(slug) is not None:
        raise BuilderError("slug_taken")
    origin: SurveyDraft | SurveyVersion | None = source.draft or latest_version(source)
    if origin is None:
        raise BuilderError("no_version")
    definition = copy.deepcopy(origin.definition)
    definition["id"] = slug

    def work() -> SurveyDraft:
        survey = Survey(slug=slug)
        db.session.add(survey)
        db.session.flush()
        draft = SurveyDraft(survey_id=survey.id, definition=definition,
                            lawful_basis=origin.lawful_basis,
                            privacy_notice=origin.privacy_notice,
                            retention_days=origin.retention_days, anonymous=origin.anonymous)
        db.session.add(draft)
        db.session.flush()
        _audit(actor, "survey.copy", survey, copied_from=source.slug)
        return draft

    try:
        return in_transaction(work)
    except IntegrityError as exc:  # the same address created at the same moment
        raise BuilderError("slug_taken") from exc


def start_draft(actor: User | None, survey: Survey) -> SurveyDraft:
    """The survey's draft; a new one copied from the latest version if there is none."""
    if survey.draft is not None:
        return survey.draft
    version = latest_version(survey)
    if version is None:
        raise BuilderError("no_version")

    def work() -> SurveyDraft:
        draft = SurveyDraft(
            survey_id=survey.id, definition=copy.deepcopy(version.definition),
            lawful_basis=version.lawful_basis, privacy_notice=version.privacy_notice,
            retention_days=version.retention_days, anonymous=version.anonymous,
            opens_at=version.opens_at, closes_at=version.closes_at,
            based_on_version_id=version.id)
        db.session.add(draft)
        db.session.flush()
        _audit(actor, "survey.draft.start", survey, version=version.number)
        return draft

    try:
        draft = in_transaction(work)
    except IntegrityError:  # a second click started it at the same moment: use that one
        db.session.refresh(survey)
        if survey.draft is None:
            raise
        return survey.draft
    db.session.refresh(survey)
    return draft


def change_definition(actor: User | None, draft: SurveyDraft,
                      edit: Callable[[dict[str, Any]], dict[str, Any]], action: str,
                      **detail: Any) -> dict[str, Any]:
    """Apply a pure edit to the draft's definition and save it (audited as `action`)."""
    changed = edit(copy.deepcopy(draft.definition))
    if changed.get("id") != draft.survey.slug:
        raise BuilderError("slug_changed")

    def work() -> dict[str, Any]:
        draft.definition = changed
        draft.updated_at = utcnow()
        _audit(actor, f"survey.draft.{action}", draft.survey, **detail)
        return changed

    return in_transaction(work)


def discard_draft(actor: User | None, draft: SurveyDraft) -> None:
    """Throw a draft away (a survey never published goes with it)."""
    survey = draft.survey

    def work() -> None:
        _audit(actor, "survey.draft.discard", survey)
        db.session.delete(draft)
        if not survey.versions:
            db.session.delete(survey)

    in_transaction(work)


@dataclass(frozen=True)
class Settings:
    """What the settings page edits."""

    lawful_basis: str
    privacy_notice: str
    retention_days: int
    anonymous: bool
    results_roles: list[str]
    results_organisations: list[str]
    invitation_only: bool = False


def update_settings(actor: User | None, draft: SurveyDraft, settings: Settings) -> None:
    """Save the draft's privacy settings and the survey's results access."""
    survey = draft.survey

    def work() -> None:
        draft.lawful_basis = settings.lawful_basis
        draft.privacy_notice = settings.privacy_notice
        draft.retention_days = settings.retention_days
        draft.anonymous = settings.anonymous
        draft.updated_at = utcnow()
        survey.results_roles = list(settings.results_roles)
        survey.results_organisations = list(settings.results_organisations)
        survey.invitation_only = settings.invitation_only
        _audit(actor, "survey.settings", survey, lawful_basis=settings.lawful_basis,
               retention_days=settings.retention_days, anonymous=settings.anonymous,
               results_roles=list(settings.results_roles),
               results_organisations=list(settings.results_organisations),
               invitation_only=settings.invitation_only)

    in_transaction(work)
    forget_published(survey.slug)  # the runner reads who may respond from the survey


def update_results_access(actor: User | None, survey: Survey, roles: Sequence[str],
                          organisations: Sequence[str], invitation_only: bool = False) -> None:
    """Change which roles and partner organisations may see a survey's results, and who may
    respond (anyone with the link, or only invited contacts): both can change at any time."""

    def work() -> None:
        survey.results_roles = list(roles)
        survey.results_organisations = list(organisations)
        survey.invitation_only = invitation_only
        _audit(actor, "survey.results_access", survey, results_roles=list(roles),
               results_organisations=list(organisations), invitation_only=invitation_only)

    in_transaction(work)
    forget_published(survey.slug)


def set_dates(actor: User | None, survey: Survey, opens_at: datetime | None,
              closes_at: datetime | None) -> None:
    """Set when the survey opens and closes (the live version and any draft)."""
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise BuilderError("dates_order")
    version = latest_version(survey)

    def work() -> None:
        if version is not None:
            version.opens_at, version.closes_at = opens_at, closes_at
        if survey.draft is not None:
            survey.draft.opens_at, survey.draft.closes_at = opens_at, closes_at
        _audit(actor, "survey.dates", survey,
               opens_at=opens_at.isoformat() if opens_at else None,
               closes_at=closes_at.isoformat() if closes_at else None)

    in_transaction(work)
    forget_published(survey.slug)


def unsent_count(survey: Survey) -> int:
    """Responses started and not sent: closing the survey stops them being sent."""
    return int(db.session.scalar(select(func.count(Response.id)).where(
        Response.survey_id == survey.id, Response.status == "in_progress")) or 0)


def close_now(actor: User | None, survey: Survey) -> None:
    """Close the live survey to residents straight away."""
    version = latest_version(survey)
    if version is None:
        raise BuilderError("no_version")
    now = utcnow()

    def work() -> None:
        version.closes_at = now
        if survey.draft is not None:
            survey.draft.closes_at = now
        _audit(actor, "survey.close", survey, version=version.number)

    in_transaction(work)
    forget_published(survey.slug)


def draft_settings(draft: SurveyDraft) -> PublishSettings:
    """The settings a draft will be published with."""
    return PublishSettings(draft.lawful_basis, draft.privacy_notice, draft.retention_days,
                           draft.anonymous, draft.opens_at, draft.closes_at)


def check_draft(draft: SurveyDraft) -> Check:
    """Run the engine's checks and the privacy checks (P1) on a draft."""
    return check_publishable(draft.definition, draft_settings(draft))


def publish_draft(actor: User | None, draft: SurveyDraft) -> SurveyVersion:
    """Publish the draft as the survey's next frozen version; the draft is then gone."""
    survey = draft.survey

    def work() -> SurveyVersion:
        version = add_version(actor, survey, draft.definition, draft_settings(draft))
        db.session.delete(draft)
        return version

    version = in_transaction(work)
    forget_published(survey.slug)
    db.session.refresh(survey)
    return version


def parse_import(data: bytes) -> dict[str, Any]:
    """Check an uploaded definition; raise BuilderError listing every problem."""
    if len(data) > MAX_IMPORT_BYTES:
        raise BuilderError("too_large")
    if not data.strip():
        raise BuilderError("empty")
    try:
        parsed = surveys.parse_json(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BuilderError("json", [surveys.Problem("json", "", f"not valid JSON: {exc}")]
                           ) from exc
    result = surveys.load_survey(parsed)
    if not result.ok:
        raise BuilderError("invalid", result.problems)
    assert isinstance(parsed, dict)
    return parsed


def import_definition(actor: User | None, data: bytes) -> SurveyDraft:
    """Make a draft from an uploaded definition: a new survey, or a new draft of one."""
    definition = parse_import(data)
    slug = str(definition["id"])
    survey = get_survey(slug)
    if survey is not None and survey.draft is not None:
        raise BuilderError("draft_exists")

    def work() -> SurveyDraft:
        target = survey
        if target is None:
            target = Survey(slug=slug)
            db.session.add(target)
            db.session.flush()
        version = latest_version(target) if survey is not None else None
        draft = SurveyDraft(
            survey_id=target.id, definition=definition,
            lawful_basis=version.lawful_basis if version else "",
            privacy_notice=version.privacy_notice if version else "",
            retention_days=version.retention_days if version else 730,
            anonymous=version.anonymous if version else True,
            opens_at=version.opens_at if version else None,
            closes_at=version.closes_at if version else None,
            based_on_version_id=version.id if version else None)
        db.session.add(draft)
        db.session.flush()
        _audit(actor, "survey.import", target, bytes=len(data))
        return draft

    try:
        return in_transaction(work)
    except IntegrityError as exc:
        raise BuilderError("draft_exists") from exc


def export_definition(definition: dict[str, Any]) -> bytes:
    """A definition as pretty-printed UTF-8 JSON (importable again)."""
    return (json.dumps(definition, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
