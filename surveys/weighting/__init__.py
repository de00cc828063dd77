"""Weighting of survey responses to the population: raking, intervals, targets and results."""

from surveys.weighting.intervals import (
    design_effect,
    effective_sample_size,
    wilson_interval,
    z_value,
)
from surveys.weighting.issues import WeightingIssue
from surveys.weighting.raking import (
    MarginFit,
    RakingReport,
    Trimming,
    WeightingResult,
    rake,
)

__all__ = [
    "MarginFit",
    "RakingReport",
    "Trimming",
    "WeightingIssue",
    "WeightingResult",
    "design_effect",
    "effective_sample_size",
    "rake",
    "wilson_interval",
    "z_value",
]
