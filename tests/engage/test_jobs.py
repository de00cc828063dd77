"""Background jobs: the queue table, handlers, progress in its own transaction, failures, pages."""

from __future__ import annotations

import json
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from engage.extensions import db
from engage.models import Job
from engage.services.platform import jobs
from tests.conftest import require_redis
from tests.pages import check_page, make_user, sign_in

SEEN: dict[str, object] = {}


@jobs.job_handler("test_ok")
def _ok(ctx: jobs.JobContext) -> dict[str, object]:
    ctx.progress(40, "Half way")
    # The progress is visible to another connection while the job still runs.
    url = db.engine.url.render_as_string(hide_password=False)
    other = create_engine(url)
    with other.connect() as conn:
        SEEN["progress"] = conn.execute(
            text("SELECT progress, message FROM jobs WHERE id = :i"), {"i": ctx.job_id}).one()
    other.dispose()
    return {"total": ctx.params["a"] + ctx.params["b"]}


@jobs.job_handler("test_fail")
def _fail(ctx: jobs.JobContext) -> None:
    raise jobs.JobFailed("No texts match these filters")


@jobs.job_handler("test_crash")
def _crash(ctx: jobs.JobContext) -> None:
    db.session.add(Job(kind="half-saved", params={}))
    db.session.flush()
    raise ZeroDivisionError("secret detail")


@jobs.job_handler("test_wait")
def _wait(ctx: jobs.JobContext) -> dict[str, object]:
    ctx.progress(10, "Started")
    assert isinstance(SEEN["gate"], threading.Event)
    SEEN["gate"].wait(10)
    return {"done": True}


def test_a_job_runs_and_keeps_its_result_and_progress(app: Flask) -> None:
    user = make_user(role="analyst", email="a@example.org")
    job = jobs.enqueue("test_ok", {"a": 2, "b": 3}, user)
    db.session.expire_all()
    job = jobs.get_job(job.id)
    assert job is not None
    assert (job.status, job.progress, job.result) == ("succeeded", 100, {"total": 5})
    assert job.created_by_id == user.id and job.started_at and job.finished_at
    assert tuple(SEEN["progress"]) == (40, "Half way")  # type: ignore[arg-type]


def test_a_failure_is_recorded_with_its_reason(app: Flask) -> None:
    job = jobs.enqueue("test_fail", {})
    db.session.expire_all()
    job = jobs.get_job(job.id)
    assert job is not None and job.status == "failed"
    assert job.error == "No texts match these filters"


def test_an_unexpected_error_rolls_back_the_work_and_hides_the_detail(app: Flask) -> None:
    job = jobs.enqueue("test_crash", {})
    db.session.expire_all()
    assert jobs.get_job(job.id).status == "failed"  # type: ignore[union-attr]
    assert "ZeroDivisionError" in jobs.get_job(job.id).error  # type: ignore[union-attr]
    assert "secret detail" not in jobs.get_job(job.id).error  # type: ignore[union-attr]
    assert db.session.scalar(text("SELECT count(*) FROM jobs WHERE kind = 'half-saved'")) == 0


def test_unknown_kinds_are_refused_before_queueing(app: Flask) -> None:
    with pytest.raises(jobs.UnknownJobKind):
        jobs.enqueue("no_such_kind", {})
    assert db.session.scalar(text("SELECT count(*) FROM jobs")) == 0


def test_a_job_runs_only_once(app: Flask) -> None:
    job = jobs.enqueue("test_ok", {"a": 1, "b": 1})
    jobs.run_job(job.id)  # a second delivery finds it finished and does nothing
    db.session.expire_all()
    assert jobs.get_job(job.id).result == {"total": 2}  # type: ignore[union-attr]


def test_the_thread_worker_runs_jobs_off_the_request(app: Flask) -> None:
    app.config["JOBS_MODE"] = "thread"
    gate = threading.Event()
    SEEN["gate"] = gate
    job = jobs.enqueue("test_wait", {})
    for _ in range(100):  # the worker has started it while we go on
        db.session.expire_all()
        if jobs.get_job(job.id).progress == 10:  # type: ignore[union-attr]
            break
        threading.Event().wait(0.05)
    assert jobs.get_job(job.id).status == "running"  # type: ignore[union-attr]
    gate.set()
    for _ in range(200):  # the worker finishes it
        db.session.expire_all()
        if jobs.get_job(job.id).status != "running":  # type: ignore[union-attr]
            break
        threading.Event().wait(0.05)
    assert jobs.get_job(job.id).status == "succeeded"  # type: ignore[union-attr]


def test_the_rq_path_queues_and_a_worker_runs_it(app: Flask, backend: str) -> None:
    url = "redis://127.0.0.1:6379/5"
    require_redis(url)
    import redis
    from rq import Queue

    app.config.update(JOBS_MODE="rq", REDIS_URL=url)
    conn = redis.Redis.from_url(url)
    Queue(jobs.RQ_QUEUE, connection=conn).empty()
    job = jobs.enqueue("test_ok", {"a": 20, "b": 22})
    assert jobs.get_job(job.id).status == "queued"  # type: ignore[union-attr]
    jobs.run_rq_worker(app, burst=True)
    db.session.expire_all()
    assert jobs.get_job(job.id).result == {"total": 42}  # type: ignore[union-attr]


def test_the_status_page_and_json(app: Flask, client: FlaskClient) -> None:
    user = make_user(role="engagement_officer", email="o@example.org")
    job = jobs.enqueue("test_fail", {}, user)
    sign_in(client, "o@example.org")
    soup = check_page(client.get(f"/staff/jobs/{job.id}"))
    assert "No texts match these filters" in soup.get_text()
    assert soup.find("progress") is not None
    script = soup.find_all("script")[-1]
    assert script.get("nonce")
    data = json.loads(client.get(f"/staff/jobs/{job.id}.json").data)
    assert data["status"] == "failed" and data["finished"] is True


def test_the_status_page_has_a_refresh_link_while_running(app: Flask, client: FlaskClient) -> None:
    user = make_user(role="engagement_officer", email="o@example.org")
    job = Job(kind="test_ok", params={}, status="running", progress=30, message="Reading",
              created_by_id=user.id)
    db.session.add(job)
    db.session.commit()
    sign_in(client, "o@example.org")
    soup = check_page(client.get(f"/staff/jobs/{job.id}"))
    assert soup.find("a", href=f"/staff/jobs/{job.id}") is not None
    assert soup.find("progress")["value"] == "30"


def test_other_people_cannot_see_a_job(app: Flask, client: FlaskClient) -> None:
    owner = make_user(role="engagement_officer", email="o@example.org")
    make_user(role="partner_viewer", email="p@example.org")
    job = jobs.enqueue("test_ok", {"a": 1, "b": 2}, owner)
    sign_in(client, "p@example.org")
    assert client.get(f"/staff/jobs/{job.id}").status_code == 404
    assert client.get(f"/staff/jobs/{job.id}.json").status_code == 404


# ---------------------------------------------------------------- workers that die


def _stale_running_job(kind: str = "test_ok", minutes: int = 10) -> int:
    """A job a worker claimed and then died on: running, its heartbeat long silent."""
    from datetime import timedelta

    from engage.models._types import utcnow

    old = utcnow() - timedelta(minutes=minutes)
    job = Job(kind=kind, params={"a": 1, "b": 2}, status="running", created_at=old,
              started_at=old, heartbeat_at=old)
    db.session.add(job)
    db.session.commit()
    return int(job.id)


def test_a_job_whose_worker_died_is_marked_failed_with_a_reason(app: Flask) -> None:
    dead = _stale_running_job()
    alive = _stale_running_job(minutes=1)  # heartbeat within JOB_STALE_SECONDS (5 minutes)
    done = jobs.recover_stale_jobs()
    assert done.failed == (dead,)
    db.session.expire_all()
    job = jobs.get_job(dead)
    assert job is not None and job.status == "failed" and job.finished_at is not None
    assert job.error == jobs.STOPPED_REASON
    assert jobs.get_job(alive).status == "running"  # type: ignore[union-attr]
    assert jobs.recover_stale_jobs().failed == ()  # nothing more to do


def test_a_stopped_job_stays_failed_if_its_worker_comes_back(app: Flask) -> None:
    dead = _stale_running_job()
    jobs.recover_stale_jobs()
    jobs._finish(dead, "succeeded", result={"late": True})  # a worker that was only frozen
    db.session.expire_all()
    job = jobs.get_job(dead)
    assert job is not None and (job.status, job.result) == ("failed", None)


def test_a_job_left_in_the_queue_is_handed_over_again_and_runs_once(app: Flask) -> None:
    from datetime import timedelta

    from engage.models._types import utcnow

    # A job queued in a process that has gone (thread mode) or a Redis that lost it.
    job = Job(kind="test_ok", params={"a": 4, "b": 5}, status="queued",
              created_at=utcnow() - timedelta(minutes=10))
    fresh = Job(kind="test_ok", params={"a": 1, "b": 1}, status="queued")
    db.session.add_all([job, fresh])
    db.session.commit()
    done = jobs.recover_stale_jobs()
    assert done.redispatched == (job.id,)
    db.session.expire_all()
    assert jobs.get_job(job.id).result == {"total": 9}  # type: ignore[union-attr]
    assert jobs.get_job(fresh.id).status == "queued"  # type: ignore[union-attr]
    jobs.dispatch(job.id)  # handed over once more by mistake: it does not run again
    db.session.expire_all()
    assert jobs.get_job(job.id).status == "succeeded"  # type: ignore[union-attr]


@jobs.job_handler("test_slow")
def _slow(ctx: jobs.JobContext) -> dict[str, object]:
    # No progress updates: only the heartbeat shows the job is alive.
    started = jobs.get_job(ctx.job_id).heartbeat_at  # type: ignore[union-attr]
    url = db.engine.url.render_as_string(hide_password=False)
    other = create_engine(url)
    try:
        for _ in range(60):
            threading.Event().wait(0.05)
            with other.connect() as conn:
                beat = conn.execute(text("SELECT heartbeat_at FROM jobs WHERE id = :i"),
                                    {"i": ctx.job_id}).scalar()
            if str(beat) != str(started) and beat is not None:
                SEEN["beats"] = (started, beat)
                break
    finally:
        other.dispose()
    return {}


def test_a_running_job_writes_a_heartbeat_without_progress_updates(app: Flask) -> None:
    app.config["JOB_HEARTBEAT_SECONDS"] = 0.1
    SEEN.pop("beats", None)
    job = jobs.enqueue("test_slow", {})
    db.session.expire_all()
    assert jobs.get_job(job.id).status == "succeeded"  # type: ignore[union-attr]
    assert "beats" in SEEN, "the heartbeat was never written while the job ran"


def test_the_job_page_shows_a_stopped_job_as_failed(app: Flask, client: FlaskClient) -> None:
    user = make_user(role="analyst", email="stop@example.org")
    dead = _stale_running_job()
    db.session.execute(text("UPDATE jobs SET created_by_id = :u WHERE id = :i"),
                       {"u": user.id, "i": dead})
    db.session.commit()
    jobs._last_sweep[0] = 0.0  # the page sweeps at most once a minute per process
    sign_in(client, "stop@example.org")
    page = client.get(f"/staff/jobs/{dead}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The task did not finish" in html
    assert "because the process running it ended" in html
    data = json.loads(client.get(f"/staff/jobs/{dead}.json").get_data(as_text=True))
    assert data["status"] == "failed" and "process running it ended" in data["error"]


def test_recover_jobs_command(app: Flask) -> None:
    _stale_running_job()
    result = app.test_cli_runner().invoke(args=["recover-jobs"])
    assert result.exit_code == 0, result.output
    assert "Marked 1 stopped job(s) as failed" in result.output


def test_the_stopped_reason_is_the_translated_message(app: Flask) -> None:
    from flask_babel import force_locale, gettext

    from engage.blueprints.staff import jobs as pages

    with app.test_request_context():
        assert str(pages.STOPPED) == jobs.STOPPED_REASON
        with force_locale("bn"):
            assert str(pages.STOPPED) == gettext(jobs.STOPPED_REASON) != jobs.STOPPED_REASON


def test_the_jobs_worker_lowers_its_cpu_priority_first(app: Flask,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """R5: `flask jobs-worker` yields the CPU to resident requests (JOBS_WORKER_NICE)."""
    calls: list[str] = []
    monkeypatch.setattr(jobs.os, "nice", lambda step: calls.append(f"nice {step}") or 10)
    monkeypatch.setattr(jobs, "run_rq_worker",
                        lambda _app, burst=False: calls.append(f"worker burst={burst}"))
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/5", JOBS_WORKER_NICE=7)
    result = app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert calls == ["nice 7", "worker burst=True"]


def test_a_nice_of_zero_leaves_the_priority_alone(app: Flask,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[int] = []
    monkeypatch.setattr(jobs.os, "nice", lambda step: steps.append(step) or 0)
    app.config["JOBS_WORKER_NICE"] = 0
    assert jobs.lower_priority(app) == 0
    assert steps == [0]  # os.nice(0) only reads the niceness


def test_without_redis_ci_fails_where_a_laptop_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="needed under CI"):
        require_redis(nowhere)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_redis(nowhere)


@pytest.mark.parametrize("after", [0, 2])
def test_claiming_and_finishing_a_job_retry_a_briefly_locked_database(
        app: Flask, monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """The claim and the finish are each a retrying transaction (issue 20): a job whose claim
    (the first commit) or finish (the third, after the claim and the handler's work) meets a
    lock that clears still runs once and succeeds."""
    from tests.locks import locked_once

    job = jobs.enqueue("test_ok", {"a": 2, "b": 3}, dispatch_now=False)
    failed = locked_once(monkeypatch, after=after)
    jobs.run_job(job.id)
    assert failed == [1]
    db.session.expire_all()
    done = jobs.get_job(job.id)
    assert done is not None and (done.status, done.result) == ("succeeded", {"total": 5})


def test_a_stopped_job_is_failed_through_a_briefly_locked_database(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.locks import locked_once

    dead = _stale_running_job()
    failed = locked_once(monkeypatch)
    assert jobs.recover_stale_jobs().failed == (dead,)
    assert failed == [1]
    db.session.expire_all()
    assert jobs.get_job(dead).status == "failed"  # type: ignore[union-attr]
