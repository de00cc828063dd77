"""Routes: /staff/ (the staff home)."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale

from engage.blueprints import ANY_STAFF, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.jobs import TITLES as JOB_TITLES
from engage.blueprints.staff.jobs import VIEW_ROLES as JOB_VIEW_ROLES
from engage.forms.messages import ROLE_LABELS
from engage.services.collect.mayor import ANSWERING_ROLES
from engage.services.report import waiting

SURVEY_READERS = ("engagement_officer", "analyst", "partner_viewer")
BOARD_VIEWERS = ("analyst", "engagement_officer", "group_member", "partner_viewer")


@bp.route("/")
@staff_required(*ANY_STAFF)
def dashboard() -> str:
    """The staff home page: what is waiting for this person's role, then what the role can do."""
    me = staff_user()
    language = str(get_locale() or "en")
    watched = [kind for kind, roles in JOB_VIEW_ROLES.items() if me.has_role(*roles)]
    return render_template(
        "staff/dashboard.html",
        role_label=ROLE_LABELS.get(me.role, me.role),
        mayor=waiting.mayor_counts() if me.has_role("moderator") else None,
        mine=waiting.mine_counts(me) if me.has_role(*ANSWERING_ROLES) else None,
        jobs=waiting.running_jobs(me, watched),
        job_titles=JOB_TITLES,
        open_surveys=waiting.surveys_open(me, language) if me.has_role(*SURVEY_READERS)
        else None,
        boards=waiting.boards_scoring(me) if me.has_role(*BOARD_VIEWERS) else None)
