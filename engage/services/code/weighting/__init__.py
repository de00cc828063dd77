"""Representativeness and weighting of a survey's responses: population targets and quotas,
fieldwork progress, weighting runs (raking) and weighted results.

The pure work (raking, intervals, CSV checks) is in `surveys.weighting`; these services read and
write the database, one transaction per action, and audit every change.
"""

from engage.services.code.weighting.estimates import (
    OptionRow,
    QuestionTable,
    SurveyResults,
    weighted_results,
)
from engage.services.code.weighting.fieldwork import Fieldwork, category_labels, fieldwork
from engage.services.code.weighting.profiles import (
    DIMENSIONS,
    POPULATION_COLUMNS,
    ResponseRow,
    complete_responses,
    profile_reader,
    response_cell,
    weighting_profile,
)
from engage.services.code.weighting.runs import (
    RunOutcome,
    RunSettings,
    job_problems,
    latest_run,
    run_weighting,
    run_weights,
    start_weighting,
    weighting_runs,
)
from engage.services.code.weighting.targets import (
    PopulationUpload,
    current_population,
    current_quotas,
    load_illustrative_population,
    population_categories,
    quotas_from_population,
    resolve_survey,
    set_quotas,
    update_quotas,
    upload_population,
)

__all__ = [
    "DIMENSIONS",
    "POPULATION_COLUMNS",
    "Fieldwork",
    "OptionRow",
    "PopulationUpload",
    "QuestionTable",
    "ResponseRow",
    "RunOutcome",
    "RunSettings",
    "SurveyResults",
    "category_labels",
    "complete_responses",
    "current_population",
    "current_quotas",
    "fieldwork",
    "job_problems",
    "latest_run",
    "load_illustrative_population",
    "population_categories",
    "profile_reader",
    "quotas_from_population",
    "resolve_survey",
    "response_cell",
    "run_weighting",
    "run_weights",
    "set_quotas",
    "start_weighting",
    "update_quotas",
    "upload_population",
    "weighted_results",
    "weighting_profile",
    "weighting_runs",
]
