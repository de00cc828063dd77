"""A small world for the generic stress tests: the demo survey published, one user per role,
an Ask the Mayor question assigned to one officer, a session; and URL building for any route,
so routes added later are covered without editing these tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from engage.extensions import db
from engage.models.user import ROLES
from tests.pages import make_user

ASSIGNEE = "assignee@example.org"
OTHER_OFFICER = "other-officer@example.org"
GENERIC = {"int": "1", "string": "sample", "path": "sample", "uuid": "0" * 32,
           "float": "1.0", "any": "sample"}
ARGUMENT = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")


@dataclass
class World:
    """Ids of the objects a route's arguments can point at."""

    args: dict[str, str] = field(default_factory=dict)
    question_id: int = 0
    emails: dict[str, str] = field(default_factory=dict)  # role (or "assignee") -> email

    def url(self, rule: Rule) -> str:
        """The rule's path with real ids where known, sample values otherwise."""
        def fill(match: re.Match[str]) -> str:
            converter, name = match.group(1) or "string", match.group(2)
            return self.args.get(name, GENERIC.get(converter, "sample"))

        return ARGUMENT.sub(fill, rule.rule)


def build_world(app: Flask, survey: bool = True) -> World:
    """Publish the demo survey, make one user per role, a question assigned to one officer."""
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, SLUG, demo_definition
    from engage.models import MayorSession
    from engage.models._types import utcnow
    from engage.services.collect.mayor import moderation
    from engage.services.collect.mayor.public import active_topics
    from engage.services.collect.mayor.queue import ensure_default_topics
    from engage.services.collect.mayor.submission import QuestionInput, submit_question
    from engage.services.collect.published_surveys import publish_definition, published_survey

    world = World()
    if survey:
        publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
        published = published_survey(SLUG)
        import surveys as engine

        world.args.update(slug=SLUG, page_id=engine.path(published.definition, {})[0])
    users = {role: make_user(f"{role}@example.org", role=role) for role in ROLES}
    assignee = make_user(ASSIGNEE, role="engagement_officer")
    make_user(OTHER_OFFICER, role="engagement_officer")
    world.emails = {role: f"{role}@example.org" for role in ROLES}
    world.emails["assignee"] = ASSIGNEE
    world.emails["other_officer"] = OTHER_OFFICER
    ensure_default_topics()
    topic = active_topics()[0]
    question = submit_question(QuestionInput(
        text="When will the lift at Brokesley Street be repaired?", topic_id=topic.id,
        ward="bow-east", consent_publish=True, contact_email=""))
    moderation.approve(question, users["moderator"])
    moderation.assign(question, users["moderator"], date.today() + timedelta(days=10),
                      officer=assignee)
    session = MayorSession(title="Bow", place="Bow Idea Store", starts_at=utcnow() +
                           timedelta(days=3))
    db.session.add(session)
    db.session.commit()
    world.question_id = question.id
    world.args.update(question_id=str(question.id), session_id=str(session.id),
                      topic_id=str(topic.id), token="not-a-real-token-" + "x" * 20)
    return world


def routes(app: Flask, method: str) -> list[Rule]:
    """Every rule answering a method, except static files; signing out comes last."""
    found = [r for r in app.url_map.iter_rules()
             if method in (r.methods or set()) and r.endpoint != "static"]
    return sorted(found, key=lambda r: ("sign_out" in r.endpoint, r.rule))


def required_roles(app: Flask, rule: Rule) -> tuple[str, ...] | None:
    """The roles a staff route declares, or None for a route open to everyone."""
    view: Any = app.view_functions[rule.endpoint]
    return getattr(view, "required_roles", None)
