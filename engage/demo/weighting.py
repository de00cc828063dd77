"""Demo: the ILLUSTRATIVE population for the demo survey, quotas from it, and one weighting run."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from engage.demo.surveys import SLUG, TARGET_RESPONSES
from engage.extensions import db
from engage.models import Survey
from engage.services.code import weighting


def load() -> Iterator[str]:
    """Give the demo survey illustrative targets, quotas and a weighting run, if it has none."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    if survey is None:
        return
    if weighting.current_population(survey) is None:
        weighting.load_illustrative_population(survey)
        yield "Weighting: the ILLUSTRATIVE (made-up) population loaded for the demo survey"
    if not weighting.current_quotas(survey):
        weighting.quotas_from_population(survey, TARGET_RESPONSES)
        yield f"Weighting: quotas for {TARGET_RESPONSES:,} interviews set from the population"
    if weighting.latest_run(survey) is None:
        outcome = weighting.run_weighting(survey)
        if outcome.run is not None:
            yield (f"Weighting: run {outcome.run.id} weighted {outcome.run.respondents:,} "
                   f"responses (design effect {outcome.run.design_effect:.2f})")
        else:
            yield "Weighting: not run: " + "; ".join(p.message for p in outcome.problems)
