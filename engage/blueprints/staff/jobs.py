"""Routes: background job status (/staff/jobs/<id>), as a page and as JSON for its progress bar."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from engage.blueprints import ANY_STAFF, found_or_404, staff_required
from engage.blueprints.staff import bp
from engage.models import Job
from engage.services.platform import jobs
from engage.services.report import export_jobs

# Besides the job's creator (and admins), who may watch each kind of job.
VIEW_ROLES: dict[str, tuple[str, ...]] = {"theme_run": ("analyst",),
                                           "response_import": ("engagement_officer",),
                                           "weighting_run": ("engagement_officer", "analyst"),
                                           "contacts.send": ("engagement_officer",),
                                           "contacts.notify_status": ("engagement_officer",)}
# The page's heading for each kind of job (others: "Background task").
# The reason recorded on a job whose worker stopped, in the reader's language.
STOPPED = _l("This task stopped before it finished, because the process running it ended. "
             "Start it again.")
TITLES = {"theme_run": _l("Finding themes"),
          "response_import": _l("Importing responses"),
          "weighting_run": _l("Running the weighting"),
          "insight_export": _l("Preparing your file"),
          "contacts.send": _l("Sending messages"),
          "contacts.notify_status": _l("Checking delivery")}
# The heading once the job has finished, and once it has failed.
DONE_TITLES = {"theme_run": _l("The theme analysis has finished"),
               "response_import": _l("The import has finished"),
               "weighting_run": _l("The weighting has finished"),
               "insight_export": _l("Your file is ready"),
               "contacts.send": _l("The messages have been sent"),
               "contacts.notify_status": _l("Delivery has been checked")}
FAILED_TITLES = {"theme_run": _l("The theme analysis did not finish"),
                 "response_import": _l("The import did not finish"),
                 "weighting_run": _l("The weighting did not finish"),
                 "insight_export": _l("Your file could not be prepared"),
                 "contacts.send": _l("The messages could not all be sent"),
                 "contacts.notify_status": _l("Delivery could not be checked")}
# What the link to a finished job's outcome does, said plainly.
NEXT_TEXTS = {"theme_run": _l("See the themes found"),
              "response_import": _l("See what was imported"),
              "weighting_run": _l("See the weighted results"),
              "insight_export": _l("Download the file"),
              "contacts.send": _l("See the contact list"),
              "contacts.notify_status": _l("See the contact list")}
WEIGHTING_PROBLEMS = _l("See why the weighting could not be done")
EXPORT_FORMATS = {"csv": _l("Download the responses (CSV file)"),
                  "xlsx": _l("Download the workbook (XLSX file)")}


def title_of(job: Job) -> str:
    """The page's heading for the job in its current state."""
    if job.status == "succeeded" and job.kind in DONE_TITLES:
        return str(DONE_TITLES[job.kind])
    if job.status == "failed" and job.kind in FAILED_TITLES:
        return str(FAILED_TITLES[job.kind])
    return str(TITLES.get(job.kind) or _l("Background task"))


def next_text(job: Job) -> str:
    """The words of the link to a finished job's outcome: what following it does."""
    result = job.result or {}
    if job.kind == "weighting_run" and result.get("problems"):
        return str(WEIGHTING_PROBLEMS)
    if job.kind == "insight_export" and result.get("format") in EXPORT_FORMATS:
        return str(EXPORT_FORMATS[str(result["format"])])
    return str(NEXT_TEXTS.get(job.kind) or _l("See the results"))


def _job(job_id: int) -> Job:
    jobs.recover_stale_jobs_now_and_then()
    job = found_or_404(jobs.get_job(job_id))
    if job.created_by_id != current_user.id and not current_user.has_role(
            *VIEW_ROLES.get(job.kind, ())):
        abort(404)  # someone else's job: as if there were none, so its number tells nothing
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
                           title=title_of(job), next_text=next_text(job), error=_error(job),
                           download=job.kind == "insight_export",
                           link_hours=export_jobs.link_hours())


@bp.route("/jobs/<int:job_id>.json")
@staff_required(*ANY_STAFF)
def job_json(job_id: int) -> Response:
    """A job's status for the progress bar."""
    job = _job(job_id)
    data = jobs.job_status(job)
    data["error"] = _error(job)
    data["next_url"] = _next_url(job)
    data["title"] = title_of(job)
    data["next_text"] = next_text(job)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response
