"""Routes: /you-said-we-did (consultations with updates) and /you-said-we-did/<slug>, which
moves to the consultation's page (/consultations/<slug>) when a public consultation includes
the survey."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from engage.blueprints.public import bp
from engage.services.collect.consultations import public as consultations
from engage.services.report import you_said
from surveys.errors import NotFound


@bp.route("/you-said-we-did")
def you_said_list() -> str:
    """Surveys whose results and next steps have been published, each linked to where its page
    now lives (its consultation's page when a public consultation includes it)."""
    listed = [(consultations.for_survey(slug), slug, title)
              for slug, title in you_said.consultation_slugs(str(get_locale() or "en"))]
    return render_template("public/you_said_list.html", consultations=listed)


@bp.route("/you-said-we-did/<slug>")
def you_said_page(slug: str) -> str | Response:
    """What we asked, how many took part, what residents said, what was decided, what next
    (on the consultation's page, when the survey belongs to a public consultation)."""
    moved = consultations.for_survey(slug)
    if moved is not None:
        return redirect(url_for("public.consultation_page", slug=moved, _anchor="results"),
                        code=301)
    try:
        page = you_said.consultation(slug, str(get_locale() or "en"))
    except NotFound:
        abort(404)
    return render_template("public/you_said.html", c=page)
