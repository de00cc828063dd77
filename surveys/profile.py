"""A respondent's profile (ward and demographics) from their answers: for quotas and weighting."""

from __future__ import annotations

from collections.abc import Mapping

from surveys import types as t
from surveys.builtins import DEMOGRAPHIC_NAMES
from surveys.model import Survey


def respondent_profile(survey: Survey, answers: Mapping[str, object]) -> dict[str, str | None]:
    """{"ward", "postcode", "age", "sex", ...}: option ids from the answers, None if not known.

    "ward" comes from the first ward/postcode question (None when a postcode was given instead);
    the demographic names come from the demographics block; "prefer-not-to-say" is kept as is.
    """
    profile: dict[str, str | None] = {"ward": None, "postcode": None}
    for question in survey.questions:
        if question.type == t.WARD_POSTCODE:
            value = answers.get(question.id)
            if isinstance(value, Mapping):
                ward, postcode = value.get("ward"), value.get("postcode")
                profile["ward"] = ward if isinstance(ward, str) else None
                profile["postcode"] = postcode if isinstance(postcode, str) else None
            break
    for name in DEMOGRAPHIC_NAMES:
        found = survey.demographic_question(name)
        value = answers.get(found.id) if found else None
        profile[name] = value if isinstance(value, str) else None
    return profile
