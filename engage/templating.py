"""Jinja globals and filters shared by every page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import get_locale, gettext
from wtforms import FieldList, FormField

from engage.formatting import format_number


@lru_cache(maxsize=64)
def _fingerprint(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _build_asset_url(filename: str) -> str:
    static = Path(current_app.static_folder or "")
    return url_for("static", filename=filename, v=_fingerprint(str(static / filename)))


def asset_url(filename: str) -> str:
    """URL of a static file with a content fingerprint, so it may be cached for a year.

    Every page asks for four of these, and building one (path, url_for) cost more than all the
    page's translations together, so each URL is built once per app, script root and file: the
    fingerprint was already fixed for the life of the process, and url_for of the static route
    depends on nothing else in the request. The memo is bounded, since a proxy may vary the root.
    """
    if not has_request_context():
        return _build_asset_url(filename)
    memo: dict[tuple[str, str], str] = current_app.extensions.setdefault("engage_asset_urls", {})
    key = (request.script_root, filename)
    url = memo.get(key)
    if url is None:
        url = _build_asset_url(filename)
        if len(memo) < 256:
            memo[key] = url
    return url


def language_links() -> list[dict[str, Any]]:
    """Links to this same page in each other language (works with JavaScript off)."""
    current = str(get_locale() or "en")
    links = []
    for code, name in current_app.config["LANGUAGES"].items():
        args = request.args.to_dict(flat=True)
        args["lang"] = code
        links.append({
            "code": code,
            "name": name,
            "current": code == current,
            "href": request.path + "?" + urlencode(args),
        })
    return links


def error_summary(errors: list[tuple[str, str]]) -> dict[str, Any]:
    """Parameters for govukErrorSummary from (field id, message) pairs."""
    return {
        "titleText": gettext("There is a problem"),
        "errorList": [{"text": message, "href": "#" + field_id} for field_id, message in errors],
    }


def form_errors(form: Any) -> list[tuple[str, str]]:
    """(field id, first message) for each field of a WTForms form that has errors, in order;
    the fields of rows (a FieldList of FormFields) each by its own id."""
    pairs: list[tuple[str, str]] = []
    for field in form:
        if isinstance(field, (FieldList, FormField)):
            pairs.extend(form_errors(field))
        elif field.errors:
            pairs.append((field.id, str(field.errors[0])))
    return pairs


def character_count(limit: int, words: bool = True) -> dict[str, Any]:
    """The texts of a GOV.UK character count in the page's language, for its macro's params.

    The hint under the box ("You can enter up to 150 words") is rendered with the limit in the
    page's digits, so it reads right with JavaScript off; the live counts are data attributes
    that GOV.UK Frontend's script fills in, writing the count with the page's `lang`
    (Intl.NumberFormat("bn") gives Bengali digits).
    """
    if words:
        return {
            "maxwords": limit,
            "textareaDescriptionText": gettext("You can enter up to %(count)s words",
                                               count=format_number(limit)),
            "wordsUnderLimitText": {"one": gettext("You have %{count} word remaining"),
                                    "other": gettext("You have %{count} words remaining")},
            "wordsAtLimitText": gettext("You have 0 words remaining"),
            "wordsOverLimitText": {"one": gettext("You have %{count} word too many"),
                                   "other": gettext("You have %{count} words too many")},
        }
    return {
        "maxlength": limit,
        "textareaDescriptionText": gettext("You can enter up to %(count)s characters",
                                           count=format_number(limit)),
        "charactersUnderLimitText": {"one": gettext("You have %{count} character remaining"),
                                     "other": gettext("You have %{count} characters remaining")},
        "charactersAtLimitText": gettext("You have 0 characters remaining"),
        "charactersOverLimitText": {"one": gettext("You have %{count} character too many"),
                                    "other": gettext("You have %{count} characters too many")},
    }


def init_app(app: Flask) -> None:
    """Register the globals and settings used by the layouts."""
    app.jinja_env.globals.update(
        asset_url=asset_url,
        language_links=language_links,
        error_summary=error_summary,
        form_errors=form_errors,
        character_count=character_count,
        current_locale=lambda: str(get_locale() or "en"),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _service() -> dict[str, Any]:
        return {
            "council_name": app.config["COUNCIL_NAME"],
            "service_name": app.config["SERVICE_NAME"],
        }
