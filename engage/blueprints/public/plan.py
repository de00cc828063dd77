"""Route: /plan, the public tracker of the partnership plan."""

from __future__ import annotations

import time

from werkzeug.wrappers import Response

from engage.blueprints.caching import cached_page
from engage.blueprints.public import bp
from engage.forms.plan import PLAN_LABELS, STATUS_CLASSES
from engage.services.plan import plans, public

# The page is cached until the plan changes; the residents' evidence on it (approved themes,
# publishable quotes, published questions) is read again at least this often.
EVIDENCE_SECONDS = 60


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
                       lambda: {"view": public.plan_view(current)},
                       labels=PLAN_LABELS, status_classes=STATUS_CLASSES)
