"""Background jobs: long work off the request, with progress the user can watch.

Three ways to run a job, chosen by the JOBS_MODE setting:

- ``rq``: a Redis queue (REDIS_URL set); ``flask jobs-worker`` runs the worker inside the app.
- ``thread``: an in-process worker thread (the default without Redis; one job at a time).
- ``sync``: the job runs at once in the caller's thread (tests and the CLI).

A handler is a function registered with ``@job_handler("kind")``; it receives a
:class:`JobContext` and returns a JSON-able dict (the job's result). Progress updates are
committed in their own short transaction, so the status page sees them while the work goes on.
A handler that raises marks the job failed with a readable reason (:class:`JobFailed` messages
are shown as they are; anything else is logged and shown as a generic reason).

A worker can die mid-job (a deploy, an out-of-memory kill, kill -9): a running job writes a
heartbeat every JOB_HEARTBEAT_SECONDS, and :func:`recover_stale_jobs` marks a running job whose
heartbeat stopped as failed, with a reason the user can act on, and hands a job that has waited
in the queue too long (its queue was lost with the process or Redis) to the worker again. A job
is claimed in one UPDATE, so handing it over twice never runs it twice.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select, update

from engage.extensions import db
from engage.models import Job, User
from engage.models._types import utcnow
from engage.services.platform.transactions import changed_rows, in_transaction

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}
RQ_QUEUE = "engage"
# Shown on a job whose worker stopped while it ran (the job page shows job.error as it is).
STOPPED_REASON = ("This task stopped before it finished, because the process running it ended. "
                  "Start it again.")


class JobFailed(Exception):
    """Raise from a handler to fail the job with this message shown to the user."""


class UnknownJobKind(ValueError):
    """No handler is registered for this kind of job."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of jobs of this kind."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> Handler:
    """The registered handler of a kind of job."""
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None


@dataclass
class JobContext:
    """What a handler gets: its job's id, parameters and creator, and a progress reporter."""

    job_id: int
    kind: str
    params: dict[str, Any]
    created_by_id: int | None

    def progress(self, percent: int, message: str = "") -> None:
        """Record progress (0-100) and a short message, committed at once on its own."""
        set_progress(self.job_id, percent, message)


def set_progress(job_id: int, percent: int, message: str = "") -> None:
    """Write a job's progress in a transaction of its own (the work's session is untouched)."""
    percent = max(0, min(100, int(percent)))
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                     .values(progress=percent, message=message[:200], heartbeat_at=utcnow()))


def _beat(job_id: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                     .values(heartbeat_at=utcnow()))


@contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """Write the job's heartbeat every JOB_HEARTBEAT_SECONDS while the block runs."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    every = float(app.config.get("JOB_HEARTBEAT_SECONDS", 30))
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                with app.app_context():
                    _beat(job_id)
            except Exception:  # a missed beat is retried; the job itself goes on
                log.warning("job %s: heartbeat not written", job_id, exc_info=True)

    beater = threading.Thread(target=loop, daemon=True, name=f"engage-job-{job_id}-heartbeat")
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join(timeout=5)


def jobs_mode(app: Flask | None = None) -> str:
    """How jobs run here: rq, thread or sync."""
    cfg = (app or current_app).config
    mode = str(cfg.get("JOBS_MODE") or "")
    if mode:
        return mode
    return "rq" if cfg.get("REDIS_URL") else "thread"


def enqueue(kind: str, params: dict[str, Any] | None = None, user: User | None = None,
            *, commit: bool = True, dispatch_now: bool = True) -> Job:
    """Create a queued job and hand it to the worker; the caller's transaction is committed.

    With ``commit=False`` the job is only added to the caller's transaction; the caller commits
    and then calls :func:`dispatch` (a worker must never see a job that is not committed).
    """
    handler_for(kind)  # fail now, not in the worker, for a kind nobody handles
    job = Job(kind=kind, params=dict(params or {}), status="queued",
              created_by_id=user.id if user is not None else None)
    db.session.add(job)
    db.session.flush()
    if commit:
        db.session.commit()
        if dispatch_now:
            dispatch(job.id)
    return job


def dispatch(job_id: int) -> None:
    """Hand a committed job to the worker of this installation."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    mode = jobs_mode(app)
    if mode == "sync":
        with app.app_context():
            run_job(job_id)
        return
    if mode == "rq":
        from redis import Redis
        from rq import Queue

        conn = Redis.from_url(app.config["REDIS_URL"])
        Queue(RQ_QUEUE, connection=conn).enqueue(
            "engage.worker.rq_entry", job_id, job_timeout=3600)
        return
    _thread_worker(app).put(job_id)


def run_job(job_id: int) -> Job | None:
    """Run one queued job in the current app context; record success or the failure's reason."""
    claimed = in_transaction(lambda: changed_rows(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=utcnow(), heartbeat_at=utcnow(), progress=0,
                message="")))
    if not claimed:
        return db.session.get(Job, job_id)  # already taken by another worker, or finished
    job = db.session.get(Job, job_id)
    assert job is not None
    context = JobContext(job.id, job.kind, dict(job.params or {}), job.created_by_id)
    try:
        with _heartbeat(job_id):
            result = handler_for(job.kind)(context)
    except Exception as exc:  # every failure is recorded for the user
        db.session.rollback()
        reason = str(exc) if isinstance(exc, (JobFailed, UnknownJobKind)) else (
            f"Unexpected error ({type(exc).__name__}); the details are in the server log")
        if not isinstance(exc, JobFailed):
            log.exception("job %s (%s) failed", job_id, context.kind)
        _finish(job_id, "failed", error=reason)
    else:
        db.session.commit()
        _finish(job_id, "succeeded", result=result or {})
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _finish(job_id: int, status: str, *, result: dict[str, Any] | None = None,
            error: str = "") -> None:
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error": error}
    if status == "succeeded":
        values.update(progress=100, result=result)
    # Only a running job is finished: one already failed as stopped stays failed.
    in_transaction(lambda: db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "running").values(**values)))


@dataclass(frozen=True)
class Recovered:
    """What :func:`recover_stale_jobs` did."""

    failed: tuple[int, ...]  # running jobs whose worker stopped: now failed
    redispatched: tuple[int, ...]  # queued jobs handed to the worker again


def recover_stale_jobs(now: datetime | None = None) -> Recovered:
    """Fail running jobs whose heartbeat stopped; hand long-queued jobs to the worker again.

    Runs when a worker starts, on the job pages (at most once a minute per process) and from
    ``flask recover-jobs``. Each failure is one short UPDATE that only matches a job still
    running with an old heartbeat, so a job that finishes meanwhile is left alone.
    """
    cfg = current_app.config
    now = now or utcnow()
    stale_before = now - timedelta(seconds=float(cfg.get("JOB_STALE_SECONDS", 300)))
    queued_before = now - timedelta(seconds=float(cfg.get("JOB_REQUEUE_SECONDS", 300)))
    beat = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    stale = list(db.session.scalars(
        select(Job.id).where(Job.status == "running", beat < stale_before).order_by(Job.id)))
    failed = []
    for job_id in stale:
        stop = (update(Job).where(Job.id == job_id, Job.status == "running", beat < stale_before)
                .values(status="failed", finished_at=now, error=STOPPED_REASON))
        done = in_transaction(partial(changed_rows, stop))
        if done:
            log.warning("job %s: its worker stopped; marked failed", job_id)
            failed.append(job_id)
    waiting = list(db.session.scalars(
        select(Job.id).where(Job.status == "queued", Job.created_at < queued_before)
        .order_by(Job.id)))
    for job_id in waiting:
        log.warning("job %s: still queued; handing it to the worker again", job_id)
        dispatch(job_id)
    return Recovered(tuple(failed), tuple(waiting))


_last_sweep = [0.0]
_sweep_lock = threading.Lock()


def recover_stale_jobs_now_and_then() -> None:
    """:func:`recover_stale_jobs`, at most once a minute in this process (job pages call it)."""
    with _sweep_lock:
        if time.monotonic() - _last_sweep[0] < 60.0:
            return
        _last_sweep[0] = time.monotonic()
    try:
        recover_stale_jobs()
    except Exception:  # the page still shows what is known
        db.session.rollback()
        log.exception("recovering stale jobs failed")


def get_job(job_id: int) -> Job | None:
    """A job by id."""
    return db.session.get(Job, job_id)


def job_status(job: Job) -> dict[str, Any]:
    """The JSON the status page polls."""
    return {
        "id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
        "message": job.message, "error": job.error, "finished": job.finished,
    }


# ---------------------------------------------------------------- in-process worker

_worker_lock = threading.Lock()
_workers: dict[int, queue.Queue[int]] = {}


def _thread_worker(app: Flask) -> queue.Queue[int]:
    with _worker_lock:
        q = _workers.get(id(app))
        if q is None:
            q = queue.Queue()
            _workers[id(app)] = q
            threading.Thread(target=_thread_loop, args=(app, q), daemon=True,
                             name="engage-jobs").start()
        return q


def _thread_loop(app: Flask, q: queue.Queue[int]) -> None:
    try:  # jobs queued in a process that has since gone are picked up again
        with app.app_context():
            recover_stale_jobs()
            db.session.remove()
    except Exception:
        log.exception("job worker: stale jobs could not be recovered")
    while True:
        job_id = q.get()
        try:
            with app.app_context():
                run_job(job_id)
                db.session.remove()
        except Exception:  # keep the worker alive
            log.exception("job worker: job %s could not be run", job_id)
        finally:
            q.task_done()


# ---------------------------------------------------------------- Redis queue


def run_rq_worker(app: Flask, burst: bool = False) -> None:
    """Run an RQ worker for the engage queue inside this app's context (``flask jobs-worker``).

    A SimpleWorker runs each job in this process (no fork), so the app, its settings and its
    database pool are set up once; run several workers for parallel jobs. ``flask jobs-worker``
    lowers the process's CPU priority first (:func:`lower_priority`).
    """
    from redis import Redis
    from rq import Queue, SimpleWorker

    conn = Redis.from_url(app.config["REDIS_URL"])
    with app.app_context():
        recover_stale_jobs()
        SimpleWorker([Queue(RQ_QUEUE, connection=conn)], connection=conn).work(burst=burst)


def lower_priority(app: Flask) -> int:
    """Lower this process's CPU priority by JOBS_WORKER_NICE (R5); the niceness it now has.

    Staff work (exports, imports, analysis) then gets the CPU only when resident requests leave
    it idle, so on a small host a long job does not slow the submit path; it still runs at full
    speed on an idle machine. Niceness only goes up (an unprivileged process cannot lower it).
    """
    step = int(app.config.get("JOBS_WORKER_NICE", 0))
    now = os.nice(step) if step > 0 else os.nice(0)
    if step > 0:
        log.info("jobs worker: CPU priority lowered by %s (niceness %s)", step, now)
    return now
