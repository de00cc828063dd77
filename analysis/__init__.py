"""Theme analysis of residents' free text: redaction, preprocessing, themes, sentiment, assignment.

Pure Python on scikit-learn, NumPy/SciPy, NLTK (tokenisers, stemmers, collocations) and VADER.
Nothing here imports the web platform or a database.

The names below are loaded on first use (PEP 562), so importing one light module (for example
``analysis.redact``, which the exports use) does not load scikit-learn and NLTK into every web
worker at start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.assign import assign
    from analysis.redact import RedactionResult, redact
    from analysis.result import Assignment, Membership, Quote, Theme, ThemeResult
    from analysis.themes import ThemeModel, find_themes

_HOMES = {
    "assign": "analysis.assign",
    "RedactionResult": "analysis.redact",
    "redact": "analysis.redact",
    "Assignment": "analysis.result",
    "Membership": "analysis.result",
    "Quote": "analysis.result",
    "Theme": "analysis.result",
    "ThemeResult": "analysis.result",
    "ThemeModel": "analysis.themes",
    "find_themes": "analysis.themes",
}

__all__ = [
    "Assignment",
    "Membership",
    "Quote",
    "RedactionResult",
    "Theme",
    "ThemeModel",
    "ThemeResult",
    "assign",
    "find_themes",
    "redact",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
