"""Problems found when loading a survey definition."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.model import Survey


@dataclass(frozen=True)
class Problem:
    """One problem in a definition: a kind code, where it is, and an English explanation."""

    kind: str
    path: str
    message: str
    section: str | None = None
    page: str | None = None
    question: str | None = None

    def __str__(self) -> str:
        return f"{self.path or '(survey)'}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    """The outcome of loading: the survey (None if there are problems), problems and warnings."""

    survey: Survey | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the definition loaded without problems."""
        return self.survey is not None and not self.problems


class SurveyError(ValueError):
    """Raised by `load_survey_or_raise` when a definition has problems."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:20])
        super().__init__(f"{len(problems)} problem(s) in survey definition:\n{lines}")


def join(path: str, key: str | int) -> str:
    """Extend a location path with a key ("a.b") or an index ("a[1]")."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
