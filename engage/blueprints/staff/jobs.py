"""Routes: background job status (/staff/jobs/<id>), as a page and as JSON for its progress bar."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from engage.blueprints import ANY_STAFF, staff_required
from engage.blueprints.staff import bp
from engage.models import Job
from engage.services import jobs

# Besides the job's creator (and admins), who may watch each kind of job.
VIEW_ROLES: dict[str, tuple[str, ...]] = {"theme_run": ("analyst",),
                                           "response_import": ("engagement_officer",),
                                           "weighting_run": ("engagement_officer", "analyst")}
# The page's heading for each kind of job (others: "Background task").
# The reason recorded on a job whose worker stopped, in the reader's language.
STOPPED = _l("This task stopped before it finished, because the process running it ended. "
             "Start it again.")
TITLES = {"theme_run": _l("Theme analysis"),
          "response_import": _l("Importing responses"),
          "weighting_run": _l("Running the weighting")}


def _job(job_id: int) -> Job:
    jobs.recover_stale_jobs_now_and_then()
    job = jobs.get_job(job_id)
    if job is None:
        abort(404)
    if job.created_by_id != current_user.id and not current_user.has_role(
            *VIEW_ROLES.get(job.kind, ())):
        abort(404)
    return job


def _error(job: Job) -> str:
    return str(STOPPED) if job.error == jobs.STOPPED_REASON else job.error


def _next_url(job: Job) -> str | None:
    result = job.result or {}
    endpoint = result.get("endpoint")
    if job.status != "succeeded" or not endpoint:
        return None
    try:
        return url_for(str(endpoint), **dict(result.get("endpoint_args") or {}))
    except BuildError:
        return None


def after_start(job: Job) -> Response:
    """Where to send the user who started a job: its result if it has already finished (jobs
    run at once in sync mode), else its progress page."""
    next_url = _next_url(job)
    if next_url:
        return redirect(next_url, code=303)
    return redirect(url_for("staff.job_page", job_id=job.id), code=303)


@bp.route("/jobs/<int:job_id>")
@staff_required(*ANY_STAFF)
def job_page(job_id: int) -> str:
    """A job's progress bar (updating itself with JavaScript), and its outcome."""
    job = _job(job_id)
    return render_template("staff/jobs/job.html", job=job, next_url=_next_url(job),
                           title=TITLES.get(job.kind), error=_error(job))


@bp.route("/jobs/<int:job_id>.json")
@staff_required(*ANY_STAFF)
def job_json(job_id: int) -> Response:
    """A job's status for the progress bar."""
    job = _job(job_id)
    data = jobs.job_status(job)
    data["error"] = _error(job)
    data["next_url"] = _next_url(job)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response
