"""Routes: /you-said-we-did (consultations with updates) and /you-said-we-did/<slug>."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import get_locale

from engage.blueprints.public import bp
from engage.services import you_said


@bp.route("/you-said-we-did")
def you_said_list() -> str:
    """Consultations whose results and next steps have been published."""
    return render_template("public/you_said_list.html",
                           consultations=you_said.consultation_slugs())


@bp.route("/you-said-we-did/<slug>")
def you_said_page(slug: str) -> str:
    """What we asked, how many took part, what residents said, what was decided, what next."""
    try:
        page = you_said.consultation(slug, str(get_locale() or "en"))
    except LookupError:
        abort(404)
    return render_template("public/you_said.html", c=page)
