"""Shared set-up for the weighting tests: the demo survey with a few hundred demo responses."""

from __future__ import annotations

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import Survey
from engage.services.code.weighting.targets import resolve_survey

SLUG = demo.SLUG


def demo_survey(responses: int = 400) -> Survey:
    """Publish the demo survey with `responses` submitted demo responses; return it."""
    for _ in demo.load(target=responses, seed=6):
        pass
    db.session.expire_all()
    return resolve_survey(SLUG)
