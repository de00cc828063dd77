"""Theme analysis of residents' free text: redaction, preprocessing, themes, sentiment, assignment.

Pure Python on scikit-learn, NumPy/SciPy, NLTK (tokenisers, stemmers, collocations) and VADER.
Nothing here imports the web platform or a database.
"""

from analysis.assign import assign
from analysis.redact import RedactionResult, redact
from analysis.result import Assignment, Membership, Quote, Theme, ThemeResult
from analysis.themes import ThemeModel, find_themes

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
