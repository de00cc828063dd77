"""Published surveys: finding them, loading their definitions once, and publishing versions."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer

import surveys
from engage.extensions import db
from engage.models import Survey, SurveyVersion, User
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound


class SurveyNotFound(NotFound):
    """No published survey has that slug."""


class InvalidDefinition(ValueError):
    """The definition has problems; they are listed."""

    def __init__(self, problems: list[surveys.Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class PublishedSurvey:
    """A published version, with its loaded definition, as the runner needs it."""

    survey_id: int
    version_id: int
    slug: str
    number: int
    definition: surveys.Survey
    lawful_basis: str
    privacy_notice: str
    opens_at: datetime | None
    closes_at: datetime | None
    anonymous: bool = True
    invitation_only: bool = False  # only invited contacts may respond online (issue 19)

    def closed_on(self) -> datetime | None:
        """The last moment residents could answer (a midnight close belongs to the day before)."""
        return self.closes_at - timedelta(seconds=1) if self.closes_at else None

    def not_open_yet(self, now: datetime | None = None) -> bool:
        """True before the opening date."""
        now = now or utcnow()
        return self.opens_at is not None and now < self.opens_at

    def is_open(self, now: datetime | None = None) -> bool:
        """True when residents may answer now."""
        now = now or utcnow()
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


_DEFINITIONS: dict[tuple[int, str], surveys.Survey] = {}
_MAX_CACHED = 64


def loaded_definition(version: SurveyVersion) -> surveys.Survey:
    """The version's definition as a Survey object, loaded once per process (it is frozen)."""
    stamp = version.published_at.isoformat() if version.published_at else "draft"
    key = (version.id, stamp)
    cached = _DEFINITIONS.get(key) if version.published_at else None
    if cached is not None:
        return cached
    loaded = surveys.load_survey_or_raise(version.definition)
    if version.published_at:
        if len(_DEFINITIONS) >= _MAX_CACHED:
            _DEFINITIONS.pop(next(iter(_DEFINITIONS)))
        _DEFINITIONS[key] = loaded
    return loaded


PUBLISHED_TTL = 5.0  # seconds a process trusts its copy of "the published version of slug"


def _published_cache() -> dict[str, tuple[float, PublishedSurvey]]:
    cache: dict[str, tuple[float, PublishedSurvey]] = current_app.extensions.setdefault(
        "engage_published_surveys", {})
    return cache


def forget_published(slug: str | None = None) -> None:
    """Drop this process's cached lookups (after publishing or closing, and in tests)."""
    cache = _published_cache()
    current_app.extensions.pop("engage_survey_slugs", None)
    if slug is None:
        cache.clear()
    else:
        cache.pop(slug, None)


def published_survey(slug: str) -> PublishedSurvey:
    """The latest published version of the survey with this slug (looked up at most every 5 s)."""
    cache = _published_cache()
    now = time.monotonic()
    hit = cache.get(slug)
    if hit is not None and now - hit[0] < PUBLISHED_TTL:
        return hit[1]
    published = _lookup_published(slug)
    if len(cache) > 256:
        cache.clear()
    cache[slug] = (now, published)
    return published


def _lookup_published(slug: str) -> PublishedSurvey:
    row = db.session.execute(
        select(SurveyVersion, Survey.slug, Survey.invitation_only)
        .options(defer(SurveyVersion.definition))
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.slug == slug, SurveyVersion.published_at.is_not(None))
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    ).first()
    if row is None:
        raise SurveyNotFound(slug)
    version, slug, invitation_only = row
    return PublishedSurvey(
        survey_id=version.survey_id, version_id=version.id, slug=slug, number=version.number,
        definition=loaded_definition(version), lawful_basis=version.lawful_basis,
        privacy_notice=version.privacy_notice, opens_at=version.opens_at,
        closes_at=version.closes_at, anonymous=version.anonymous,
        invitation_only=bool(invitation_only),
    )


def open_surveys(now: datetime | None = None) -> list[PublishedSurvey]:
    """Published surveys residents can answer now, newest first (slugs looked up every 5 s)."""
    cache: dict[str, tuple[float, list[str]]] = current_app.extensions.setdefault(
        "engage_survey_slugs", {})
    hit = cache.get("all")
    if hit is not None and time.monotonic() - hit[0] < PUBLISHED_TTL:
        slugs = hit[1]
    else:
        slugs = list(db.session.scalars(select(Survey.slug).order_by(Survey.created_at.desc())))
        cache["all"] = (time.monotonic(), slugs)
    found = []
    for slug in slugs:
        try:
            published = published_survey(slug)
        except SurveyNotFound:
            continue
        if published.is_open(now):
            found.append(published)
    return found


@dataclass(frozen=True)
class PublishSettings:
    """What a version is published with besides its definition (the builder's settings)."""

    lawful_basis: str
    privacy_notice: str
    retention_days: int = 730
    anonymous: bool = True
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@dataclass
class Check:
    """The result of checking what is to be published: problems block it, warnings do not."""

    problems: list[surveys.Problem]
    warnings: list[surveys.Problem]

    @property
    def ok(self) -> bool:
        """True when it can be published."""
        return not self.problems


def check_publishable(definition: dict[str, Any], settings: PublishSettings) -> Check:
    """The engine's checks and the privacy checks (P1): an anonymous survey asks nothing that
    identifies a person, and every version states its lawful basis and privacy notice."""
    result = surveys.load_survey(definition)
    problems = list(result.problems)
    if settings.anonymous and result.survey is not None:
        problems += surveys.check_anonymous(result.survey)
    if not settings.lawful_basis:
        problems.append(surveys.Problem("settings", "settings.lawful_basis",
                                        "select the lawful basis"))
    if not settings.privacy_notice.strip():
        problems.append(surveys.Problem("settings", "settings.privacy_notice",
                                        "enter the privacy notice"))
    return Check(problems, list(result.warnings))


def add_version(actor: User | None, survey: Survey, definition: dict[str, Any],
                settings: PublishSettings) -> SurveyVersion:
    """Check and add the survey's next frozen version, in the caller's transaction: the one
    way a version is published (the builder, the demo, imports of whole surveys)."""
    checked = check_publishable(definition, settings)
    if not checked.ok:
        raise InvalidDefinition(checked.problems)
    loaded = surveys.load_survey_or_raise(definition)
    last = db.session.scalar(select(SurveyVersion.number).where(
        SurveyVersion.survey_id == survey.id).order_by(SurveyVersion.number.desc()).limit(1))
    version = SurveyVersion(
        survey_id=survey.id, number=(last or 0) + 1,
        title=loaded.text(loaded.title, loaded.language)[:300],
        definition=copy.deepcopy(definition), lawful_basis=settings.lawful_basis,
        privacy_notice=settings.privacy_notice, retention_days=settings.retention_days,
        anonymous=settings.anonymous, opens_at=settings.opens_at, closes_at=settings.closes_at,
        published_at=utcnow())
    db.session.add(version)
    db.session.flush()
    audit.record("survey.publish", actor=actor, object_type="survey_version",
                 object_id=version.id, detail={"slug": survey.slug, "number": version.number})
    return version


def publish_definition(definition: dict[str, Any], *, lawful_basis: str, privacy_notice: str,
                       actor: User | None = None, retention_days: int = 730,
                       anonymous: bool = True, opens_at: datetime | None = None,
                       closes_at: datetime | None = None) -> SurveyVersion:
    """Check a whole definition and publish it as the next version of its survey (made when
    new), with the same checks as the builder's Publish."""
    settings = PublishSettings(lawful_basis, privacy_notice, retention_days, anonymous,
                               opens_at, closes_at)
    slug = str(definition.get("id", ""))

    def work() -> SurveyVersion:
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        if survey is None:
            survey = Survey(slug=slug)
            db.session.add(survey)
            db.session.flush()
        return add_version(actor, survey, definition, settings)

    version = in_transaction(work)
    forget_published(slug)
    return version
