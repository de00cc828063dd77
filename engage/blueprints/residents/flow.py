"""The runner's page logic, shared by the resident runner and interviewer mode.

Both run the same pages through the same engine validation and the same question markup; they
differ only in where links go (`Links`) and in the layout around the questions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import redirect, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

import surveys
from engage.blueprints.residents.rendering import questions_markup
from engage.forms.survey_page import PageView, answer_text, answer_value
from engage.services.collect.published_surveys import PublishedSurvey


@dataclass(frozen=True)
class Links:
    """Where the runner's start, question and check pages live, with their URL arguments."""

    start: str = "residents.start"
    question: str = "residents.question"
    check: str = "residents.check"
    args: Mapping[str, Any] = field(default_factory=dict)

    def start_url(self) -> str:
        return url_for(self.start, **self.args)

    def question_url(self, page_id: str, return_to_check: bool = False) -> str:
        extra: dict[str, Any] = {"return": "check"} if return_to_check else {}
        return url_for(self.question, page_id=page_id, **self.args, **extra)

    def check_url(self) -> str:
        return url_for(self.check, **self.args)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate in the interview language when it differs from the page's (no cost otherwise)."""
    if str(get_locale() or "") == language:
        yield
        return
    with force_locale(language):
        yield


def go_to_next(published: PublishedSurvey, answers: dict[str, Any], links: Links,
               return_to_check: bool = False) -> WerkzeugResponse:
    """Redirect to the first unanswered page on the path, or to check your answers."""
    page = surveys.first_unanswered_page(published.definition, answers)
    if page is None:
        return redirect(links.check_url(), code=303)
    return redirect(links.question_url(page, return_to_check), code=303)


def after_save(published: PublishedSurvey, answers: dict[str, Any], page_id: str, links: Links,
               return_to_check: bool) -> WerkzeugResponse:
    """Where to go once a page's answers are saved."""
    if return_to_check:
        return go_to_next(published, answers, links, return_to_check=True)
    following = surveys.next_page(published.definition, answers, page_id)
    if following is None:
        return redirect(links.check_url(), code=303)
    return redirect(links.question_url(following), code=303)


def page_errors(result: surveys.PageResult, language: str) -> list[tuple[str, str]]:
    """The engine's errors as (field, message) in the language of the questions."""
    with in_language(language):
        return [(e.field, _(e.message) % e.params) for e in result.errors]


def progress_text(definition: surveys.Survey, page_id: str, language: str) -> str:
    """The page's progress for a resident: by section when there are sections, else by page;
    counted over the survey's definition, so the total never jumps (surveys.steady_progress)."""
    step = surveys.steady_progress(definition, page_id)
    with in_language(language):
        if step.section is not None:
            return _("Section %(number)s of %(total)s: %(name)s", number=step.number,
                     total=step.total,
                     name=surveys.localise(step.section.title, language, definition.language))
        if step.may_skip:
            return _("Page %(number)s of up to %(total)s", number=step.number, total=step.total)
        return _("Page %(number)s of %(total)s", number=step.number, total=step.total)


def page_context(published: PublishedSurvey, page_id: str, answers: dict[str, Any],
                 on_path: list[str], values: Any, errors: list[tuple[str, str]], language: str,
                 links: Links, return_to_check: bool,
                 visible: Sequence[str] | None = None) -> dict[str, Any]:
    """What a page template needs: the questions' markup (in `language`), back link, progress.

    `visible`: the page's visible questions, when the caller already walked the path.
    """
    definition = published.definition
    if visible is None:
        visible = surveys.visible_questions(definition, page_id, answers)
    with in_language(language):
        view = PageView(definition, page_id, visible, values, dict(errors), language)
        markup = questions_markup(published.version_id, view)
    position = on_path.index(page_id)  # the caller checked the page is on the path
    previous = on_path[position - 1] if position > 0 else None
    if return_to_check:
        back = links.check_url()
    elif previous is None:
        back = links.start_url()
    else:
        back = links.question_url(previous)
    title = view.title
    return {"survey": published, "view": view, "page_errors": errors, "back": back,
            "questions_html": markup, "progress": progress_text(definition, page_id, language),
            "return_to_check": return_to_check, "title": title}


def check_rows(published: PublishedSurvey, final: dict[str, Any], language: str,
               links: Links) -> list[dict[str, Any]]:
    """Check-your-answers rows: question, answer (in `language`) and a change link."""
    definition = published.definition
    rows = []
    for page_id in surveys.path(definition, final):
        for question_id in surveys.visible_questions(definition, page_id, final):
            question_obj = definition.question(question_id)
            if question_obj.write_in_for is not None:
                continue  # shown with the option it belongs to
            title = surveys.localise(question_obj.title, language, definition.language)
            rows.append({
                "key": {"text": title},
                "value": answer_value(answer_text(definition, question_obj, final, language)),
                "actions": {"items": [{
                    "href": links.question_url(page_id, return_to_check=True),
                    "text": _("Change"),
                    "visuallyHiddenText": title,
                }]},
            })
    return rows
