"""Shared set-up for the theme tests: demo survey texts and a finished run."""

from __future__ import annotations

from engage.models import ThemeRun, User
from engage.services.code.themes import runs, sources
from tests.pages import make_user


def demo_texts(n: int = 150) -> None:
    """Publish the demo survey with n responses (free text with wards and demographics)."""
    from engage.demo import surveys as demo_surveys

    for _line in demo_surveys.load(target=n, seed=7):
        pass


def survey_choices() -> list[str]:
    """Every survey free-text question as a source choice."""
    return [key for key, _label in sources.choices() if key.startswith("survey:")]


def analyst(email: str = "analyst@example.org") -> User:
    return make_user(email=email, role="analyst")


def finished_run(user: User, n_themes: int | None = 6, previous: ThemeRun | None = None
                 ) -> ThemeRun:
    run = runs.start_run(user, survey_choices(), sources.Filters(), n_themes=n_themes,
                         previous=previous)
    assert run.status == "succeeded", run.error
    return run
