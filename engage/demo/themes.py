"""Demo: a finished theme analysis of what residents would improve and their Mayor questions.

One question rather than all the survey's free text keeps `flask demo` (and the browser tests'
set-up, which loads the demo) quick; analysts can start a run over everything from the page.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from engage.extensions import db
from engage.models import Job, ThemeRun, User
from engage.services.code.themes import runs, sources
from engage.services.platform import jobs

ANALYST = "analyst@engage.example"


def load() -> Iterator[str]:
    """Run the analysis once (in this process, whatever the job mode), if none has finished."""
    if db.session.scalar(select(ThemeRun.id).where(ThemeRun.status == "succeeded")):
        yield "Demo theme analysis: already there"
        return
    user = db.session.scalar(select(User).where(User.email == ANALYST))
    selected = [key for key, _label in sources.choices()
                if key.endswith(":improve") or key == "ask_the_mayor:all"]
    if user is None or not selected:
        yield "Demo theme analysis: skipped (no analyst or no texts)"
        return
    run = ThemeRun(title="Demo analysis", sources=selected, filters=sources.Filters().to_json(),
                   n_themes=12, seed=0, status="queued", created_by_id=user.id)
    db.session.add(run)
    db.session.flush()
    job = Job(kind=runs.JOB_KIND, params={"run_id": run.id}, created_by_id=user.id)
    db.session.add(job)
    db.session.flush()
    run.job_id = job.id
    db.session.commit()
    jobs.run_job(job.id)
    db.session.expire_all()
    done = db.session.get(ThemeRun, run.id)
    assert done is not None
    if done.status == "succeeded":
        yield f"Demo theme analysis: {done.text_count} texts analysed"
    else:
        yield f"Demo theme analysis failed: {done.error}"
