"""Route: /plan, the public tracker of the partnership plan."""

from __future__ import annotations

import time
from typing import Any

from flask import get_template_attribute
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.wrappers import Response

from engage.blueprints.caching import cached_page, cached_value
from engage.blueprints.public import bp
from engage.forms.plan import PLAN_LABELS, STATUS_CLASSES
from engage.services.decide.plan import plans, public
from engage.services.decide.plan.public import IndicatorView

# The page is cached until the plan changes; the residents' evidence on it (approved themes,
# publishable quotes, published questions) is read again at least this often.
EVIDENCE_SECONDS = 60


def chart_markup(ind: IndicatorView) -> Markup:
    """An indicator's chart and table, rendered once per language and set of updates (the
    indicator's own figures never change once it is made; updates are only added)."""
    last = ind.updates[-1].id if ind.updates else 0
    key = ("plan-indicator", ind.row.id, str(get_locale() or "en"), len(ind.updates), last)

    def render() -> Markup:
        macro = get_template_attribute("public/_plan_chart.html", "indicator_chart")
        markup = macro(ind, f"chart-{ind.row.id}", PLAN_LABELS)
        assert isinstance(markup, Markup)  # autoescaped: user text in it is escaped
        return markup

    return cached_value(key, render)


def _context(current: Any) -> dict[str, object]:
    view = public.plan_view(current)
    charts = {i.row.id: chart_markup(i) for p in view.priorities for i in p.indicators}
    return {"view": view, "charts": charts}


@bp.route("/plan")
def plan() -> str | Response:
    """Each priority, why it was chosen, its actions by partner, and its indicators."""
    current = plans.published_plan()
    if current is None:
        return cached_page(("plan", None), "public/plan.html", view=None, labels=PLAN_LABELS,
                           status_classes=STATUS_CLASSES)
    key = ("plan", current.id, current.changed_at.isoformat(),
           int(time.time() // EVIDENCE_SECONDS))
    return cached_page(key, "public/plan.html",
                       lambda: _context(current),
                       labels=PLAN_LABELS, status_classes=STATUS_CLASSES)
