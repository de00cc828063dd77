"""Theme analysis in the platform: a full run over N texts as a background job, and the theme
list page with 100 themes over the same texts.

    python bench/themes_bench.py [--texts 50000] [--requests 200] [--write OUT.txt]

Texts are the demo survey's free text (engage.demo: about three answers per response), so
the script first generates enough demo responses in a fresh SQLite database (not timed). Run 1:
n_themes auto, the in-process job worker (JOBS_MODE=thread), THEMES_N_JOBS=2; the time is from
the start request returning to the run's results being stored (what the status page waits for).
Run 2: 100 themes over the same texts, then the theme list page is fetched through the Flask
test client, signed in as an analyst: median and p95 of --requests fetches after 10 warm-ups.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")
os.environ.pop("REDIS_URL", None)


def _cpu() -> float:
    """CPU seconds of this process (the job worker is a thread here) and its children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _wait(run_id: int, timeout: float = 1800) -> tuple[float, list[tuple[float, int, str]]]:
    from engage.extensions import db
    from engage.models import Job, ThemeRun

    start = time.perf_counter()
    seen: list[tuple[float, int, str]] = []
    while time.perf_counter() - start < timeout:
        db.session.expire_all()
        run = db.session.get(ThemeRun, run_id)
        job = db.session.get(Job, run.job_id)
        if not seen or seen[-1][1:] != (job.progress, job.message):
            seen.append((time.perf_counter() - start, job.progress, job.message))
        if run.status in ("succeeded", "failed"):
            return time.perf_counter() - start, seen
        db.session.commit()
        time.sleep(0.2)
    raise TimeoutError("run did not finish")


def _hundred_themes(run_id: int, user_id: int) -> object:
    """A stored run of 100 themes over run 1's texts, with memberships, quotes and figures."""
    from sqlalchemy import insert, select

    from engage.extensions import db
    from engage.models import RunText, Theme, ThemeMembership, ThemeRun
    from engage.services.code.themes.stats import refresh_stats

    first = db.session.get(ThemeRun, run_id)
    labels = [t.label for t in db.session.scalars(select(Theme).where(Theme.run_id == run_id))]
    phrases = [t.key_phrases for t in db.session.scalars(
        select(Theme).where(Theme.run_id == run_id))]
    run = ThemeRun(title="100 themes", sources=first.sources, filters=first.filters,
                   n_themes=100, status="succeeded", created_by_id=user_id,
                   text_count=first.text_count, model=first.model)
    db.session.add(run)
    db.session.flush()
    themes = [Theme(run_id=run.id, key=f"b{i}", label=f"{labels[i % len(labels)]} {i + 1}",
                    description="A theme made for the benchmark: " + labels[i % len(labels)],
                    key_phrases=phrases[i % len(phrases)], origin="engine")
              for i in range(100)]
    db.session.add_all(themes)
    db.session.flush()
    rows = list(db.session.execute(select(RunText.text_id, RunText.score, RunText.sentiment)
                                   .where(RunText.run_id == run_id).order_by(RunText.text_id)))
    db.session.execute(insert(RunText), [
        {"run_id": run.id, "text_id": t, "theme_id": themes[i % 100].id, "score": s,
         "sentiment": m, "is_new": False} for i, (t, s, m) in enumerate(rows)])
    db.session.execute(insert(ThemeMembership), [
        {"run_id": run.id, "theme_id": themes[i % 100].id, "text_id": t, "score": s}
        for i, (t, s, _m) in enumerate(rows)])
    refresh_stats(run, themes, quotes_for=[t.id for t in themes])
    db.session.commit()
    return run


def _runs(texts: int, out: Any) -> tuple[int, int]:
    """Set up the texts, time run 1 and build the 100-theme run; its id and its largest theme."""
    from sqlalchemy import func, select

    from engage.demo import surveys as demo_surveys
    from engage.extensions import db
    from engage.models import FreeTextAnswer, Theme
    from engage.services.code.themes import runs, sources
    from engage.services.platform.accounts import create_user

    t0 = time.perf_counter()
    responses = int(texts / 2.6) + 50
    for _line in demo_surveys.load(target=responses, seed=11):
        pass
    total = db.session.scalar(select(func.count()).select_from(FreeTextAnswer))
    out(f"setup: {responses} demo responses, {total} free texts "
        f"({time.perf_counter() - t0:.0f} s, not timed)")
    user = create_user("bench@example.org", "analyst", "a-long-bench-password-123")
    selected = [k for k, _l in sources.choices() if k.startswith("survey:")]
    load = os.getloadavg()[0]
    out(f"load average before run 1: {load:.1f}")
    t0 = time.perf_counter()
    cpu0 = _cpu()
    run = runs.start_run(user, selected, sources.Filters(), n_themes=None)
    queued = time.perf_counter() - t0
    elapsed, timeline = _wait(run.id)
    db.session.expire_all()
    run = runs.get_run(run.id)
    themes = db.session.scalar(select(func.count()).select_from(Theme).where(
        Theme.run_id == run.id))
    out(f"run 1 (auto): {run.text_count} texts, {themes} themes, status {run.status}; "
        f"start request {queued:.2f} s; results stored {elapsed + queued:.1f} s after "
        f"starting; CPU {_cpu() - cpu0:.1f} s")
    for at, progress, message in timeline:
        out(f"  {at + queued:6.1f} s  {progress:3d}%  {message}")
    run2 = _hundred_themes(run.id, user.id)
    themes2 = db.session.scalar(select(func.count()).select_from(Theme).where(
        Theme.run_id == run2.id, Theme.active.is_(True)))
    out(f"run 2 for the page: {run2.text_count} texts in {themes2} themes (built by the "
        "script from run 1's texts, round robin; see the note in the docs)")
    run_id = run2.id  # type: ignore[attr-defined]
    theme_id = db.session.scalar(select(Theme.id).where(Theme.run_id == run_id)
                                 .order_by(Theme.size.desc()).limit(1))
    return int(run_id), int(theme_id)


def _rerun(out: Any) -> None:
    """One more full run over the texts already stored (they are only checked, not inserted)."""
    from sqlalchemy import func, select

    from engage.extensions import db
    from engage.models import Theme, User
    from engage.services.code.themes import runs, sources

    user = db.session.scalar(select(User).where(User.email == "bench@example.org"))
    selected = [k for k, _l in sources.choices() if k.startswith("survey:")]
    out(f"load average before the run: {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    cpu0 = _cpu()
    run = runs.start_run(user, selected, sources.Filters(), n_themes=None)
    queued = time.perf_counter() - t0
    elapsed, timeline = _wait(run.id)
    db.session.expire_all()
    run = runs.get_run(run.id)
    themes = db.session.scalar(select(func.count()).select_from(Theme).where(
        Theme.run_id == run.id))
    out(f"rerun (auto): {run.text_count} texts, {themes} themes, status {run.status}; results "
        f"stored {elapsed + queued:.1f} s after starting; CPU {_cpu() - cpu0:.1f} s; load "
        f"average after {os.getloadavg()[0]:.1f}")
    for at, progress, message in timeline:
        out(f"  {at + queued:6.1f} s  {progress:3d}%  {message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", default="")
    parser.add_argument("--rerun", default="",
                        help="a folder left by an earlier run: time one more full run (auto, "
                             "not building on earlier results) over the same texts, then stop")
    parser.add_argument("--pages-only", default="",
                        help="a folder left by an earlier run of this script: time the pages only")
    args = parser.parse_args()

    from engage import create_app
    from tests.conftest import TEST_SECRET, migrate

    folder = Path(args.rerun or args.pages_only or tempfile.mkdtemp(prefix="themes-bench-"))
    url = f"sqlite:///{folder / 'engage.sqlite'}"
    if not (args.pages_only or args.rerun):
        migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": TEST_SECRET,
                      "RATELIMIT_ENABLED": False, "JOBS_MODE": "thread", "THEMES_N_JOBS": 2,
                      "SERVER_NAME": None, "PREFERRED_URL_SCHEME": "http"})
    lines: list[str] = []

    def out(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    if args.rerun:
        with app.app_context():
            _rerun(out)
        if args.write:
            Path(args.write).write_text("\n".join(lines) + "\n")
        return
    with app.app_context():
        if args.pages_only:
            from sqlalchemy import select

            from engage.extensions import db
            from engage.models import Theme, ThemeRun

            run_id = db.session.scalar(select(ThemeRun.id).order_by(ThemeRun.id.desc()))
            theme_id = db.session.scalar(select(Theme.id).where(Theme.run_id == run_id)
                                         .order_by(Theme.size.desc()).limit(1))
        else:
            run_id, theme_id = _runs(args.texts, out)

    client = app.test_client()
    from tests.pages import csrf_token

    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"csrf_token": token, "email": "bench@example.org",
                                       "password": "a-long-bench-password-123"})
    out(f"load average before page timings: {os.getloadavg()[0]:.1f}")
    for name, path in [("theme list (100 themes)", f"/staff/themes/runs/{run_id}"),
                       ("theme page (largest theme)", f"/staff/themes/{theme_id}"),
                       ("equity lens (largest theme)", f"/staff/themes/{theme_id}/equity")]:
        n = args.requests if "list" in name else max(20, args.requests // 5)
        for _ in range(10):
            assert client.get(path).status_code == 200
        times = []
        cpu = []
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
        times.sort()
        cpu.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        cpu95 = cpu[int(0.95 * (len(cpu) - 1))]
        out(f"{name}: {n} requests, median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
            f"(CPU median {statistics.median(cpu):.1f} ms, p95 {cpu95:.1f} ms), "
            f"{len(response.data) // 1024} KB")
    if args.write:
        Path(args.write).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
