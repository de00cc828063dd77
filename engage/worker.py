"""What an RQ worker calls for an Engage job: the job runs inside an app context.

``flask jobs-worker`` starts the worker inside the app, so the context is already there; a worker
started some other way (``rq worker engage``) gets an app built from the environment.
"""

from __future__ import annotations

from flask import Flask, has_app_context

_app: Flask | None = None


def rq_entry(job_id: int) -> None:
    """Run one Engage job (queued by engage.services.platform.jobs.enqueue)."""
    from engage.extensions import db
    from engage.services.platform.jobs import run_job

    if has_app_context():
        run_job(job_id)
        return
    global _app
    if _app is None:
        from engage import create_app

        _app = create_app()
    with _app.app_context():
        run_job(job_id)
        db.session.remove()
