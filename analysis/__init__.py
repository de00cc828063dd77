"""Theme analysis of residents' free text: redaction, preprocessing, themes, sentiment, assignment.

Pure Python on scikit-learn, NumPy/SciPy, NLTK (tokenisers, stemmers, collocations) and VADER.
Nothing here imports the web platform or a database.

The engine's names (``assign``, ``ThemeModel``, ``find_themes``) load on first use (PEP 562),
so importing a light module (``analysis.redact``, which the exports use) does not load
scikit-learn and NLTK into every web worker at start.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from analysis.redact import RedactionResult, redact
from analysis.result import Assignment, Membership, Quote, Theme, ThemeResult

if TYPE_CHECKING:
    from analysis.assign import assign
    from analysis.themes import ThemeModel, find_themes

_LAZY = {"assign": "analysis.assign", "ThemeModel": "analysis.themes",
         "find_themes": "analysis.themes"}

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
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    return getattr(import_module(home), name)


class _Package(ModuleType):
    """The import system binds a submodule on its package when it first loads it: the
    submodules ``analysis.assign`` and ``analysis.redact`` would hide the functions of the same
    name. The functions stay (as when this file imported them all eagerly)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("assign", "redact") and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
