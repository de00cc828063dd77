"""Engage's survey engine: definitions, loading and checks, routing, answer validation, weighting.

Pure Python: no web framework, no database. See surveys/README.md for the definition format,
the form field naming convention and the public API.
"""

from surveys.build import PAGE_TEXT_BYTES, page_text_share
from surveys.builtins import DEMOGRAPHIC_NAMES, POSTCODE_CHOICE, default_wards, parse_wards
from surveys.display import display_answer, free_text_answers, to_form_data
from surveys.fields import field_name, field_names, first_field, rank_values
from surveys.loader import (
    load_survey,
    load_survey_file,
    load_survey_or_raise,
    parse_json,
    survey_schema,
)
from surveys.model import (
    Condition,
    Option,
    Page,
    Question,
    Route,
    Section,
    Settings,
    Statement,
    Survey,
)
from surveys.postcode import normalise_postcode
from surveys.problems import LoadResult, Problem, SurveyError
from surveys.profile import respondent_profile
from surveys.routing import (
    first_unanswered_page,
    is_complete,
    next_page,
    path,
    path_questions,
    previous_page,
    progress,
    prune,
    visible_questions,
)
from surveys.rules import evaluate
from surveys.text import Text, localise
from surveys.types import Answer
from surveys.validation import FieldError, FormData, PageResult, validate_page, validate_question
from surveys.weighting import (
    CategoryResult,
    FieldworkProgress,
    Population,
    PopulationResult,
    QuestionResult,
    RakingReport,
    RowProblem,
    Trimming,
    WeightingIssue,
    WeightingResult,
    design_effect,
    effective_sample_size,
    fieldwork_progress,
    illustrative_population,
    load_population,
    load_population_file,
    question_results,
    rake,
    wilson_interval,
)

__all__ = [
    "DEMOGRAPHIC_NAMES",
    "PAGE_TEXT_BYTES",
    "POSTCODE_CHOICE",
    "Answer",
    "CategoryResult",
    "Condition",
    "FieldError",
    "FieldworkProgress",
    "FormData",
    "LoadResult",
    "Option",
    "Page",
    "PageResult",
    "Population",
    "PopulationResult",
    "Problem",
    "Question",
    "QuestionResult",
    "RakingReport",
    "Route",
    "RowProblem",
    "Section",
    "Settings",
    "Statement",
    "Survey",
    "SurveyError",
    "Text",
    "Trimming",
    "WeightingIssue",
    "WeightingResult",
    "default_wards",
    "design_effect",
    "display_answer",
    "effective_sample_size",
    "evaluate",
    "field_name",
    "field_names",
    "fieldwork_progress",
    "first_field",
    "first_unanswered_page",
    "free_text_answers",
    "illustrative_population",
    "is_complete",
    "load_population",
    "load_population_file",
    "load_survey",
    "load_survey_file",
    "load_survey_or_raise",
    "localise",
    "next_page",
    "normalise_postcode",
    "page_text_share",
    "parse_json",
    "parse_wards",
    "path",
    "path_questions",
    "previous_page",
    "progress",
    "prune",
    "question_results",
    "rake",
    "rank_values",
    "respondent_profile",
    "survey_schema",
    "to_form_data",
    "validate_page",
    "validate_question",
    "visible_questions",
    "wilson_interval",
]
