"""Large exports as background jobs: the file is written with progress, kept in the instance's
exports folder, and offered to the person who asked through a link that expires."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from engage.extensions import db
from engage.models import Job, User
from engage.models._types import utcnow
from engage.services.platform import jobs, results_policy
from engage.services.report import export_rows, export_xlsx, exports
from surveys.errors import NotFound

JOB_KIND = "insight_export"
FORMATS = ("csv", "xlsx")
LINK_HOURS = 24
"""How long a finished export can be downloaded (EXPORT_LINK_HOURS overrides it)."""


def link_hours() -> int:
    """Hours a finished export stays downloadable."""
    return int(current_app.config.get("EXPORT_LINK_HOURS", LINK_HOURS))


def export_dir() -> Path:
    """Where finished exports wait to be downloaded (EXPORT_DIR, else instance/exports)."""
    folder = Path(current_app.config.get("EXPORT_DIR") or
                  Path(current_app.instance_path) / "exports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_export(slug: str, fmt: str, actor: User) -> Job:
    """Queue an export of the survey in this format for the actor; NotFound if unknown,
    PermissionError when the actor may not export it."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "csv" and not export_rows.may_export_rows(actor):
        raise PermissionError(actor.role)
    results_policy.survey_for(actor, slug)  # unknown or refused: fail now, not in the worker
    purge_expired()
    return jobs.enqueue(JOB_KIND, {"slug": slug, "format": fmt}, actor)


@jobs.job_handler(JOB_KIND)
def run_export_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """Write the export to a file, reporting progress per batch; audited like a download."""
    actor = db.session.get(User, ctx.created_by_id) if ctx.created_by_id else None
    if actor is None:
        raise jobs.JobFailed("The person who asked for this export no longer has an account.")
    slug, fmt = str(ctx.params["slug"]), str(ctx.params["format"])
    try:
        results_policy.survey_for(actor, slug)
    except PermissionError as exc:
        raise jobs.JobFailed("The person who asked for this export may no longer see this "
                             "survey's results.") from exc
    total = max(1, export_rows.load_source(slug).count)

    def progress(done: int) -> None:
        ctx.progress(min(99, int(100 * done / total)), f"{done:,} of {total:,} responses")

    name = f"{secrets.token_urlsafe(16)}.{fmt}"
    path = export_dir() / name
    if fmt == "csv":
        export = exports.responses_csv(slug, actor, "", progress)
        with open(path, "w", encoding="utf-8", newline="") as text_file:
            for chunk in export.chunks:
                text_file.write(str(chunk))
    else:
        export = export_xlsx.workbook_xlsx(slug, actor, "", progress)
        with open(path, "wb") as binary_file:
            for chunk in export.chunks:
                binary_file.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
    expires = utcnow() + timedelta(hours=link_hours())
    ctx.progress(100, f"{export.rows:,} responses")
    return {"file": name, "filename": export.filename, "rows": export.rows, "format": fmt,
            "expires_at": expires.isoformat(), "endpoint": "staff.export_download",
            "endpoint_args": {"job_id": ctx.job_id}}


class Expired(Exception):
    """The download link has expired (or its file is gone)."""


def download(job_id: int, user: User) -> tuple[Path, str, str]:
    """(path, download name, format) of a finished export the user asked for.

    NotFound when there is no such export for this user; PermissionError when they may no
    longer see the survey's results; Expired when its link has expired.
    """
    job = db.session.get(Job, job_id)
    if job is None or job.kind != JOB_KIND or job.status != "succeeded" or not job.result:
        raise NotFound(job_id)
    if job.created_by_id != user.id:
        raise NotFound(job_id)
    results_policy.survey_for(user, str((job.params or {}).get("slug", "")))
    result = job.result
    path = export_dir() / os.path.basename(str(result["file"]))
    if datetime.fromisoformat(str(result["expires_at"])) <= utcnow() or not path.exists():
        raise Expired(job_id)
    return path, str(result["filename"]), str(result["format"])


def purge_expired() -> int:
    """Delete export files whose links have expired; how many were deleted."""
    cutoff = utcnow().timestamp() - link_hours() * 3600
    removed = 0
    for path in export_dir().glob("*.*"):
        if path.suffix in (".csv", ".xlsx") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
