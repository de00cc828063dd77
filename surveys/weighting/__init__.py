"""Weighting of survey responses to the population: raking, intervals, targets and results.

Pure Python and numpy; see the "Weighting" section of surveys/README.md.
"""

from surveys.weighting.fieldwork import (
    CellProgress,
    FieldworkProgress,
    MarginProgress,
    fieldwork_progress,
)
from surveys.weighting.intervals import (
    design_effect,
    effective_sample_size,
    wilson_interval,
    z_value,
)
from surveys.weighting.issues import WeightingIssue
from surveys.weighting.population import (
    Population,
    PopulationResult,
    RowProblem,
    default_categories,
    illustrative_population,
    load_population,
    load_population_file,
)
from surveys.weighting.raking import (
    MISSING,
    MarginFit,
    RakingReport,
    Trimming,
    WeightingResult,
    rake,
)
from surveys.weighting.results import (
    CategoryResult,
    QuestionResult,
    grouped_results,
    question_results,
    questions_results,
)

__all__ = [
    "MISSING",
    "CategoryResult",
    "CellProgress",
    "FieldworkProgress",
    "MarginFit",
    "MarginProgress",
    "Population",
    "PopulationResult",
    "QuestionResult",
    "RakingReport",
    "RowProblem",
    "Trimming",
    "WeightingIssue",
    "WeightingResult",
    "default_categories",
    "design_effect",
    "effective_sample_size",
    "fieldwork_progress",
    "grouped_results",
    "illustrative_population",
    "load_population",
    "load_population_file",
    "question_results",
    "questions_results",
    "rake",
    "wilson_interval",
    "z_value",
]
