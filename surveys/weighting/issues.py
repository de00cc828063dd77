"""Problems and warnings of weighting, each a plain-English explanation instead of a crash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

NO_RESPONDENTS: Final = "no-respondents"
NO_TARGETS: Final = "no-targets"
INVALID_TARGET: Final = "invalid-target"
NEGATIVE_TARGET: Final = "negative-target"
ZERO_TOTAL: Final = "zero-total"
ZERO_TARGET: Final = "zero-target"
EMPTY_CATEGORY: Final = "empty-category"
UNKNOWN_CATEGORY: Final = "unknown-category"
ALL_MISSING: Final = "all-missing"
INVALID_SETTING: Final = "invalid-setting"
# warnings: weighting ran, but someone should look
MISSING_VALUES: Final = "missing-values"
DROPPED: Final = "dropped"
NOT_CONVERGED: Final = "not-converged"
TRIMMED: Final = "trimmed"
SPARSE_CATEGORY: Final = "sparse-category"
LARGE_DESIGN_EFFECT: Final = "large-design-effect"
INCONSISTENT_TOTALS: Final = "inconsistent-totals"
UNUSED_CATEGORY: Final = "unused-category"


@dataclass(frozen=True)
class WeightingIssue:
    """Why weighting could not run (a problem) or what to check in its result (a warning)."""

    kind: str
    message: str
    dimension: str | None = None
    category: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        return self.message
