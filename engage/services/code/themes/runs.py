"""Starting a theme analysis and the background job that runs it (engine in analysis/).

A run reads the chosen sources through the filters, keeps the approved themes of the run it
builds on (new texts are placed on them with ``analysis.assign``), finds candidate themes in the
rest with ``analysis.ThemeModel``, and stores the results. A failed run keeps nothing but its
reason: the previous results stay the current ones.

Issue 21 (a run over 200,000 texts on a shared host): the texts are read in one read, and
the transaction ends before the engine starts, so minutes of computing hold no transaction open
(on PostgreSQL an idle transaction holds back vacuum; on SQLite it holds a lock). The results
are then written in batches of ``STORE_BATCH`` rows, each its own short transaction with a
progress update between them, so residents' answers never wait behind one long write. Rows
written for a run that is not ``succeeded`` are shown nowhere (pages show succeeded runs only);
the last, small transaction records the figures and marks the run succeeded, and a run that
fails while storing has its rows removed (:func:`_discard_results`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from analysis.redact import redact
from analysis.result import MAX_THEMES, MIN_THEMES, Assignment, ThemeResult
from analysis.result import Theme as EngineTheme
from engage.extensions import db
from engage.models import (
    AnalysisText,
    RunText,
    Theme,
    ThemeMembership,
    ThemeQuote,
    ThemeRun,
    User,
)
from engage.models._types import utcnow
from engage.services.code.themes import sources
from engage.services.code.themes.engine import engine_options
from engage.services.code.themes.stats import refresh_stats
from engage.services.platform import audit, jobs
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError

log = logging.getLogger(__name__)
JOB_KIND = "theme_run"
MIN_TEXTS = 10  # fewer texts than this cannot make themes worth reviewing
MIN_NEW_TEXTS = 20  # unplaced texts below this stay unthemed in a later run
STORE_BATCH = 2000  # rows per short write transaction while a run stores its results


class RunError(DomainError):
    """The run cannot start; ``code`` names the problem for the form."""


def start_run(user: User, selected: Sequence[str], filters: sources.Filters,
              n_themes: int | None = None, seed: int = 0, title: str = "",
              previous: ThemeRun | None = None) -> ThemeRun:
    """Record a run and queue its job; returns the run (its job_id shows progress)."""
    if not selected:
        raise RunError("no_sources")
    known = {key for key, _label in sources.choices()}
    if any(choice not in known for choice in selected):
        raise RunError("unknown_source")
    if n_themes is not None and not 2 <= n_themes <= 100:
        raise RunError("bad_n_themes")
    previous_id = previous.id if previous is not None else None

    def work() -> tuple[int, int]:
        run = ThemeRun(title=title[:200], sources=list(selected), filters=filters.to_json(),
                       n_themes=n_themes, seed=seed, status="queued", created_by_id=user.id,
                       previous_run_id=previous_id)
        db.session.add(run)
        db.session.flush()
        audit.record("themes.run_started", actor=user, object_type="theme_run",
                     object_id=run.id, detail={"sources": list(selected), "n_themes": n_themes})
        job = jobs.enqueue(JOB_KIND, {"run_id": run.id}, user, commit=False,
                           dispatch_now=False)
        run.job_id = job.id
        return int(run.id), int(job.id)

    run_id, job_id = in_transaction(work)
    jobs.dispatch(job_id)
    db.session.expire_all()
    found = db.session.get(ThemeRun, run_id)
    assert found is not None
    return found


def current_run() -> ThemeRun | None:
    """The newest run that succeeded: the themes staff review."""
    return db.session.scalars(select(ThemeRun).where(ThemeRun.status == "succeeded")
                              .order_by(ThemeRun.id.desc()).limit(1)).first()


def all_runs(limit: int = 50) -> list[ThemeRun]:
    """Runs, newest first."""
    return list(db.session.scalars(select(ThemeRun).order_by(ThemeRun.id.desc()).limit(limit)))


def get_run(run_id: int) -> ThemeRun | None:
    """A run by id."""
    return db.session.get(ThemeRun, run_id)


@jobs.job_handler(JOB_KIND)
def run_analysis_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The background job: run the analysis; on failure record why on the run, keep the rest."""
    run_id = int(ctx.params["run_id"])
    db.session.execute(update(ThemeRun).where(ThemeRun.id == run_id).values(status="running"))
    db.session.commit()
    try:
        _run(ctx, run_id)
    except Exception as exc:
        db.session.rollback()
        if not isinstance(exc, jobs.JobFailed):
            log.exception("theme run %s failed", run_id)
        _discard_results(run_id)
        reason = str(exc) if isinstance(exc, jobs.JobFailed) else (
            f"Unexpected error ({type(exc).__name__}); the details are in the server log")
        db.session.execute(update(ThemeRun).where(ThemeRun.id == run_id).values(
            status="failed", error=reason, finished_at=utcnow()))
        db.session.commit()
        if isinstance(exc, jobs.JobFailed):
            raise
        raise jobs.JobFailed(reason) from exc
    return {"run_id": run_id, "endpoint": "staff.themes_run", "endpoint_args": {"run_id": run_id}}


def _previous_model(previous: ThemeRun) -> tuple[ThemeResult | None, list[Theme]]:
    approved = list(db.session.scalars(
        select(Theme).where(Theme.run_id == previous.id, Theme.active.is_(True),
                            Theme.approved.is_(True)).order_by(Theme.id)))
    if not approved or not previous.model:
        return None, approved
    model = previous.model
    themes = [EngineTheme(id=str(t.id), label=t.label, description=t.description,
                          key_phrases=list(t.key_phrases), size=t.size,
                          weighted_share=t.weighted_share or 0.0,
                          mean_sentiment=t.sentiment, quotes=[],
                          profile={str(k): float(v) for k, v in (t.profile or {}).items()})
              for t in approved]
    result = ThemeResult(themes=themes, assignments=[], unthemed_share=0.0, params={},
                         idf={str(k): float(v) for k, v in model.get("idf", {}).items()},
                         min_score=float(model.get("min_score", 0.03)),
                         multi_ratio=float(model.get("multi_ratio", 0.8)))
    return result, approved


def _discard_results(run_id: int) -> None:
    """Remove what a run that failed had stored so far (in the caller's transaction)."""
    themes = select(Theme.id).where(Theme.run_id == run_id)
    db.session.execute(delete(ThemeQuote).where(ThemeQuote.theme_id.in_(themes)))
    db.session.execute(delete(ThemeMembership).where(ThemeMembership.run_id == run_id))
    db.session.execute(delete(RunText).where(RunText.run_id == run_id))
    db.session.execute(delete(Theme).where(Theme.run_id == run_id))


def _run(ctx: jobs.JobContext, run_id: int) -> None:
    # The engine (scikit-learn, NLTK) loads here, in the job, not in every web worker at start.
    from analysis.assign import assign
    from analysis.themes import ThemeModel

    run = db.session.get(ThemeRun, run_id)
    assert run is not None
    n_themes, seed, previous_id = run.n_themes, run.seed, run.previous_run_id
    ctx.progress(2, "Reading the texts")
    rows = list(sources.collect(list(run.sources), sources.Filters.from_json(run.filters)))
    if len(rows) < MIN_TEXTS:
        raise jobs.JobFailed(
            f"Only {len(rows)} texts match these sources and filters; at least {MIN_TEXTS} "
            "are needed")
    previous = db.session.get(ThemeRun, previous_id) if previous_id else None
    prior, approved = _previous_model(previous) if previous is not None else (None, [])
    approved_ids = [t.id for t in approved]
    # The read ends here: nothing below touches the database until the results are stored.
    db.session.commit()
    ctx.progress(10, f"Read {len(rows)} texts")
    # Personal data is removed once here: the engine and assign get the redacted texts (and do
    # not redact again), and the redacted copy is what most roles see.
    ctx.progress(12, "Removing personal details")
    cache: dict[str, str] = {}
    texts = [cache[r.text] if r.text in cache else cache.setdefault(r.text, redact(r.text).text)
             for r in rows]
    ids = [str(i) for i in range(len(rows))]
    placed: dict[int, Assignment] = {}
    if prior is not None:
        ctx.progress(15, "Placing texts on the approved themes")
        for i, a in enumerate(assign(texts, prior, ids=ids, redact_text=False)):
            if a.theme_id is not None:
                placed[i] = a
    rest = [i for i in range(len(rows)) if i not in placed]
    fitted: ThemeResult | None = None
    if rest and (prior is None or len(rest) >= MIN_NEW_TEXTS):
        ctx.progress(20, f"Finding themes in {len(rest)} texts")
        weights = [rows[i].weight for i in rest]
        n = n_themes
        if n is not None and approved_ids:
            n = max(2, n - len(approved_ids))
        model = ThemeModel(
            n_themes=n if n is not None else "auto", random_state=seed, redact=False,
            max_themes=max(MAX_THEMES, n or 0), min_themes=min(MIN_THEMES, n or MIN_THEMES),
            **engine_options())
        known = [w for w in weights if w is not None]
        fitted = model.fit([texts[i] for i in rest], ids=[ids[i] for i in rest],
                           weights=known if len(known) == len(weights) else None,
                           respondents=[rows[i].respondent for i in rest],
                           progress=lambda share, stage: ctx.progress(20 + int(60 * share),
                                                                      stage)).result_
    ctx.progress(80, "Saving the results")
    _store(ctx, run_id, rows, texts, previous_id, prior, approved_ids, placed, fitted)


def _in_batches(ctx: jobs.JobContext, rows: list[dict[str, Any]], model: Any,
                start: int, end: int, message: str) -> None:
    """Insert rows in short transactions of STORE_BATCH, with progress from start to end %."""
    for first in range(0, len(rows), STORE_BATCH):
        db.session.execute(insert(model), rows[first:first + STORE_BATCH])
        db.session.commit()
        done = min(len(rows), first + STORE_BATCH)
        ctx.progress(start + (end - start) * done // max(len(rows), 1),
                     f"{message}: {done} of {len(rows)}")


def _store_texts(ctx: jobs.JobContext, rows: list[sources.SourceText],
                  redacted: list[str]) -> list[int]:
    """Store the texts in short transactions of STORE_BATCH; their ids in row order."""
    text_ids: list[int] = []
    for first in range(0, len(rows), STORE_BATCH):
        text_ids += upsert_texts(rows[first:first + STORE_BATCH],
                                 redacted[first:first + STORE_BATCH])
        db.session.commit()
        done = min(len(rows), first + STORE_BATCH)
        ctx.progress(80 + 6 * done // len(rows), f"Saving the texts: {done} of {len(rows)}")
    return text_ids


def upsert_texts(rows: list[sources.SourceText], redacted: list[str]) -> list[int]:
    """Store the texts in the caller's transaction (new ones inserted, changed ones updated);
    their ids in row order. Theme runs and codeframes both keep their texts this way."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_source[r.source].append(r.source_id)
    existing: dict[tuple[str, str], tuple[int, str]] = {}
    for source, source_ids in by_source.items():
        for chunk_start in range(0, len(source_ids), 900):
            chunk = source_ids[chunk_start:chunk_start + 900]
            for tid, sid, text in db.session.execute(
                    select(AnalysisText.id, AnalysisText.source_id, AnalysisText.text)
                    .where(AnalysisText.source == source, AnalysisText.source_id.in_(chunk))):
                existing[(source, sid)] = (tid, text)
    now = utcnow()
    red_of = {r.text: red for r, red in zip(rows, redacted, strict=True)}

    def values(r: sources.SourceText) -> dict[str, Any]:
        return {"source": r.source, "source_id": r.source_id, "text": r.text,
                "redacted": red_of[r.text],
                "survey_id": r.survey_id, "question_id": r.question_id,
                "respondent": r.respondent, "ward": r.ward, "channel": r.channel,
                "language": r.language, "group_name": r.group_name,
                "submitted_at": r.submitted_at, "weight": r.weight,
                "attributes": dict(r.attributes), "updated_at": now}

    new = [values(r) for r in rows if (r.source, r.source_id) not in existing]
    changed = [dict(values(r), id=existing[(r.source, r.source_id)][0]) for r in rows
               if (r.source, r.source_id) in existing
               and existing[(r.source, r.source_id)][1] != r.text]
    if changed:
        db.session.execute(update(AnalysisText), changed)
    if new:  # the new ids come back from the insert itself (no second read under the lock)
        for tid, source, sid in db.session.execute(
                insert(AnalysisText).returning(AnalysisText.id, AnalysisText.source,
                                               AnalysisText.source_id), new):
            existing[(source, sid)] = (tid, "")
    return [existing[(r.source, r.source_id)][0] for r in rows]


def _store(ctx: jobs.JobContext, run_id: int, rows: list[sources.SourceText],
           redacted: list[str], previous_id: int | None,
           prior: ThemeResult | None, approved_ids: list[int],
           placed: dict[int, Assignment], fitted: ThemeResult | None) -> None:
    text_ids = _store_texts(ctx, rows, redacted)
    approved = [t for t in (db.session.get(Theme, i) for i in approved_ids) if t is not None]
    seen_before: set[int] = set()
    if previous_id is not None:
        seen_before = set(db.session.scalars(
            select(RunText.text_id).where(RunText.run_id == previous_id)))
    theme_id_of = _store_themes(run_id, approved, fitted)
    quotes: dict[int, list[tuple[int, float]]] = {}
    if fitted is not None:
        for t in fitted.themes:
            quotes[theme_id_of["fit:" + t.id]] = [(text_ids[int(q.id)], q.score)
                                                  for q in t.quotes]
    run_texts, members = _text_rows(run_id, text_ids, placed, fitted, theme_id_of,
                                    previous_id is not None, seen_before)
    _in_batches(ctx, run_texts, RunText, 86, 92, "Saving the texts' themes")
    _in_batches(ctx, members, ThemeMembership, 92, 97, "Saving the theme memberships")
    # The last transaction: quotes, figures and the run's status. Its reads (the figures are
    # counted over every text of the run) go first without flushing, so the writes, and on
    # SQLite the write lock, come only at the commit.
    from analysis.nonanswers import is_non_answer

    # "N/A", "don't know", emoji alone: counted, never themed; counted before the last
    # transaction begins (pure computing: seconds over 200,000 texts).
    non_answers = sum(n for t, n in Counter(redacted).items() if is_non_answer(t))
    with db.session.no_autoflush:
        _finish(run_id, previous_id, rows, non_answers, prior, approved, fitted, quotes,
                run_texts, theme_id_of)


def _store_themes(run_id: int, approved: list[Theme], fitted: ThemeResult | None
                  ) -> dict[str, int]:
    """Store the run's themes in one transaction: the approved ones carried over (with their
    names, still approved) and the engine's new ones; stored ids by key ("<old id>" for a
    carried theme, "fit:<engine id>" for a new one)."""
    theme_of: dict[str, Theme] = {}
    for old in approved:
        theme = Theme(run_id=run_id, key=f"c{old.id}", label=old.label,
                      description=old.description, key_phrases=list(old.key_phrases),
                      profile=dict(old.profile or {}), approved=True,
                      approved_by_id=old.approved_by_id, approved_at=old.approved_at,
                      origin="carried", carried_from_id=old.id)
        db.session.add(theme)
        theme_of[str(old.id)] = theme
    if fitted is not None:
        for t in fitted.themes:
            theme = Theme(run_id=run_id, key=f"n{t.id}", label=t.label[:200],
                          description=t.description, key_phrases=list(t.key_phrases),
                          profile=dict(t.profile), weighted_share=t.weighted_share,
                          origin="engine")
            db.session.add(theme)
            theme_of["fit:" + t.id] = theme
    db.session.flush()
    theme_id_of = {key: theme.id for key, theme in theme_of.items()}
    db.session.commit()  # the run is still "running": its themes are shown nowhere yet
    return theme_id_of


def _text_rows(run_id: int, text_ids: list[int], placed: dict[int, Assignment],
               fitted: ThemeResult | None, theme_id_of: dict[str, int], rerun: bool,
               seen_before: set[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The run's text rows (main theme, score, sentiment, new since the last run) and
    membership rows, from the texts placed in carried themes and the engine's assignments."""
    run_texts: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    assignments: dict[int, tuple[Assignment, str]] = {i: (a, "") for i, a in placed.items()}
    if fitted is not None:
        for a in fitted.assignments:
            assignments[int(a.id)] = (a, "fit:")
    for i, text_id in enumerate(text_ids):
        found = assignments.get(i)
        main: int | None = None
        score = 0.0
        sentiment: float | None = None
        if found is not None:
            a, prefix = found
            sentiment = a.sentiment
            if a.theme_id is not None:
                main = theme_id_of[prefix + a.theme_id]
                score = a.memberships[0].score if a.memberships else 0.0
            for m in a.memberships:
                members.append({"run_id": run_id, "theme_id": theme_id_of[prefix + m.theme_id],
                                "text_id": text_id, "score": m.score})
        run_texts.append({"run_id": run_id, "text_id": text_id, "theme_id": main,
                          "score": score, "sentiment": sentiment,
                          "is_new": rerun and text_id not in seen_before})
    return run_texts, members


def _finish(run_id: int, previous_id: int | None, rows: list[sources.SourceText],
            non_answers: int, prior: ThemeResult | None, approved: list[Theme],
            fitted: ThemeResult | None,
            quotes: dict[int, list[tuple[int, float]]], run_texts: list[dict[str, Any]],
            theme_id_of: dict[str, int]) -> None:
    run = db.session.get(ThemeRun, run_id)
    assert run is not None
    stored = [t for t in (db.session.get(Theme, i) for i in theme_id_of.values())
              if t is not None]
    for theme_id, picks in quotes.items():
        for position, (text_id, score) in enumerate(picks):
            db.session.add(ThemeQuote(theme_id=theme_id, text_id=text_id, score=score,
                                      position=position))
    model: dict[str, Any] = dict(prior.to_dict()["model"]) if prior is not None else {}
    if fitted is not None:
        fit_model = fitted.to_dict()["model"]
        model = {"idf": {**model.get("idf", {}), **fit_model["idf"]},
                 "min_score": fit_model["min_score"], "multi_ratio": fit_model["multi_ratio"]}
    run.model = model
    run.text_count = len(rows)
    run.unthemed_count = sum(1 for r in run_texts if r["theme_id"] is None)
    refresh_stats(run, stored, quotes_for=[t.id for t in stored if t.id not in quotes])
    changes: dict[str, Any] = {"new_texts": sum(1 for r in run_texts if r["is_new"]),
                               "non_answers": non_answers}
    if fitted is not None:  # which text vectors the engine chose, and why (analysis.vectors)
        changes["vectors"] = fitted.params.get("vectors")
        changes["vectors_reason"] = fitted.params.get("vectors_reason")
    if previous_id is not None:
        growth = dict(db.session.execute(
            select(RunText.theme_id, func.count()).where(
                RunText.run_id == run.id, RunText.is_new.is_(True),
                RunText.theme_id.is_not(None)).group_by(RunText.theme_id)).all())
        for theme in stored:
            if theme.origin == "carried":
                theme.growth = int(growth.get(theme.id, 0))
        changes["new_themes"] = [t.id for t in stored if t.origin != "carried"]
        changes["grew"] = [{"theme_id": t.id, "added": t.growth} for t in stored
                           if t.origin == "carried" and t.growth]
        changes["kept"] = len(approved)
    run.changes = changes
    run.status = "succeeded"
    run.error = ""
    run.finished_at = utcnow()
