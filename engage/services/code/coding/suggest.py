"""Suggestions: learn the codeframe from the texts analysts coded (analysis.coding), store a
confidence per code for every uncoded text, the order to ask about them (active learning) and
each code's cross-validated quality.

The model learns only from people's codings (not from suggestions accepted in bulk, which would
teach it its own guesses). A refresh runs as a background job (``coding_suggest``): after every
few codings (REFIT_EVERY) or when an analyst asks. The text features (TF-IDF beside the theme
engine's vectors) are computed once per codeframe and kept in the process for later refits, and
so is the last fitted model of a few codeframes: the next refresh of the same codeframe, with the
same codes and features, starts from its weights (``warm_start``: the same optimum in a few
iterations instead of a cold fit; docs/benchmarks-analysis.md, issue 22). Otherwise, or when
nothing is kept (another worker process, a restart), the fit is cold. ``model_info["warm_start"]``
says which it was and ``model_info["iterations"]`` how many optimiser iterations it took.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    Code,
    CodedText,
    CodedTextCode,
    Codeframe,
    CodeframeText,
    CodeSuggestion,
    Job,
    User,
)
from engage.models._types import utcnow
from engage.services.code.themes.engine import engine_options
from engage.services.platform import jobs
from engage.services.platform.transactions import in_transaction

if TYPE_CHECKING:  # the model's libraries (scikit-learn, NLTK) load in the job, not at start
    import numpy as np
    from numpy.typing import NDArray

    from analysis.coding import CodeSuggester, TextFeatures

log = logging.getLogger(__name__)
JOB_KIND = "coding_suggest"
REFIT_EVERY = 5  # people's codings between refreshes
MIN_CODED = 4  # fewer coded texts than this: no model yet
KEEP_PER_TEXT = 3  # suggestions kept per text (besides any above KEEP_ABOVE)
KEEP_ABOVE = 0.3
NEXT_LENGTH = 200  # texts kept in the active-learning order
NONE = "none"
_FEATURES: OrderedDict[tuple[int, int], TextFeatures] = OrderedDict()
MODELS_KEPT = 3  # codeframes whose last model is kept for a warm refit (about 8 MB each at 85
# codes over 20,000 texts)
# Codeframe id -> (its codes and whether several per text, the model fitted on them).
_MODELS: OrderedDict[int, tuple[tuple[tuple[str, ...], bool], CodeSuggester]] = OrderedDict()
_MODELS_LOCK = threading.Lock()


def _features(frame: Codeframe, texts: list[str]) -> TextFeatures:
    from analysis.coding import TextFeatures

    key = (frame.id, len(texts))
    found = _FEATURES.get(key)
    if found is None:
        found = TextFeatures(embedding=str(engine_options()["embedding"]),
                             random_state=0).fit(texts)
        _FEATURES[key] = found
        while len(_FEATURES) > 2:
            _FEATURES.popitem(last=False)
    return found


def fit_model(frame_id: int, feats: TextFeatures, texts: list[str],
              labels: list[list[str]]) -> tuple[CodeSuggester, bool]:
    """The codeframe's model fitted on ``texts`` and ``labels``, and whether the fit started from
    the model kept from its last refresh (same codes, same kind, same features object); that
    model is then kept in its place. A kept model is taken out while it is refitted, so two
    refreshes of one codeframe at once never share it (the second fits cold)."""
    from analysis.coding import CodeSuggester

    key = (tuple(sorted({c for cs in labels for c in cs})), any(len(cs) != 1 for cs in labels))
    with _MODELS_LOCK:
        kept = _MODELS.pop(frame_id, None)
    warm = kept is not None and kept[0] == key and kept[1].features is feats
    model = kept[1] if warm and kept is not None else CodeSuggester(
        features=feats, warm_start=True, random_state=0)
    model.fit(texts, labels)
    with _MODELS_LOCK:
        _MODELS[frame_id] = (key, model)
        # Bounded: a few codeframes, and never a model whose features are no longer kept (it
        # would hold them in memory and could not be warm-started from anyway).
        for stale in [f for f, (_k, m) in _MODELS.items()
                      if not any(m.features is v for v in _FEATURES.values())
                      and m.features is not feats]:
            del _MODELS[stale]
        while len(_MODELS) > MODELS_KEPT:
            _MODELS.popitem(last=False)
    return model, warm


def forget_model(frame_id: int) -> None:
    """Drop the codeframe's kept model: its next refresh fits cold."""
    with _MODELS_LOCK:
        _MODELS.pop(frame_id, None)


def human_codings(frame: Codeframe) -> dict[int, list[str]]:
    """Texts coded by people (primary stage, not accepted in bulk) and their labels."""
    out: dict[int, list[str]] = {}
    for text_id, no_answer in db.session.execute(select(CodedText.text_id, CodedText.no_answer)
                                                 .where(CodedText.codeframe_id == frame.id,
                                                        CodedText.stage == "primary",
                                                        CodedText.batch_id.is_(None))):
        out[int(text_id)] = [NONE] if no_answer else []
    for text_id, code_id in db.session.execute(
            select(CodedText.text_id, CodedTextCode.code_id)
            .join(CodedTextCode, CodedTextCode.coded_text_id == CodedText.id)
            .where(CodedText.codeframe_id == frame.id, CodedText.stage == "primary",
                   CodedText.batch_id.is_(None))):
        out[int(text_id)].append(str(code_id))
    return out


def _pending(frame: Codeframe) -> bool:
    job_id = (frame.model_info or {}).get("job_id")
    if not job_id:
        return False
    job = db.session.get(Job, int(job_id))
    return job is not None and job.status in ("queued", "running")


def request_refresh(frame: Codeframe, user: User | None, force: bool = False) -> int | None:
    """Queue a refresh when enough new codings came in (or forced); the job id, or None."""

    def work() -> int | None:
        coded = int(db.session.scalar(select(func.count()).select_from(CodedText).where(
            CodedText.codeframe_id == frame.id, CodedText.stage == "primary",
            CodedText.batch_id.is_(None))) or 0)
        info = dict(frame.model_info or {})
        if coded < MIN_CODED or _pending(frame):
            return None
        if not force and coded - int(info.get("coded_at_fit", 0)) < REFIT_EVERY:
            return None
        job = jobs.enqueue(JOB_KIND, {"codeframe_id": frame.id}, user, commit=False,
                           dispatch_now=False)
        info["job_id"] = job.id
        frame.model_info = info
        return int(job.id)

    job_id = in_transaction(work)
    if job_id is not None:
        jobs.dispatch(job_id)
    return job_id


@jobs.job_handler(JOB_KIND)
def refresh_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The background job: fit on people's codings, store suggestions, order and quality."""
    frame = db.session.get(Codeframe, int(ctx.params["codeframe_id"]))
    if frame is None:
        raise jobs.JobFailed("The codeframe no longer exists")
    info = refresh(frame)
    return {"codeframe_id": frame.id, "coded": info.get("coded_at_fit", 0),
            "endpoint": "staff.coding_queue", "endpoint_args": {"frame_id": frame.id}}


def refresh(frame: Codeframe) -> dict[str, Any]:
    """Refit and store everything (one short transaction for the writes); the new model_info."""
    from analysis.coding import choose_next

    started = time.perf_counter()
    ids, text_of = _frame_texts(frame)
    coded = human_codings(frame)
    coded_ids = [t for t in ids if coded.get(t)]
    labels = [coded[t] for t in coded_ids]
    info: dict[str, Any] = {"coded_at_fit": len(coded), "fitted_at": utcnow().isoformat()}
    if len(coded_ids) < MIN_CODED or len({c for cs in labels for c in cs}) < 2:
        info["status"] = "too_few"
        _store(frame, [], info)
        return info
    feats = _features(frame, [text_of[t] for t in ids])
    model, warm = fit_model(frame.id, feats, [text_of[t] for t in coded_ids], labels)
    info["warm_start"] = warm
    info["iterations"] = int(model.model_.n_iter_)
    already = set(db.session.scalars(select(CodedText.text_id).where(
        CodedText.codeframe_id == frame.id, CodedText.stage == "primary")))
    uncoded = [t for t in ids if t not in already]
    proba = model.predict_proba([text_of[t] for t in uncoded]) if uncoded else None
    suggestions: list[dict[str, Any]] = []
    if proba is not None:
        suggestions = _suggestions(frame, model, uncoded, proba)
        order = choose_next(proba, NEXT_LENGTH, random_state=0, multi_label=model.multi_label_)
        info["next"] = [uncoded[i] for i in order]
    info["multi_label"] = bool(model.multi_label_)
    # The suggestions and the order are stored first, so that they follow a coded text within
    # seconds; the held-out codes and quality (five more fits, most of a refresh's time) follow
    # in a second write, the last fit's standing until then.
    before = frame.model_info or {}
    info.update({k: before[k] for k in ("held_out", "quality") if k in before})
    info["quality_pending"] = True
    info["seconds"] = round(time.perf_counter() - started, 2)
    info["status"] = "fitted"
    _store(frame, suggestions, info)
    _add_quality(frame, info, [text_of[t] for t in coded_ids], coded_ids, labels, feats)
    info["seconds_with_quality"] = round(time.perf_counter() - started, 2)
    _save_info(frame, info)
    return info


def _frame_texts(frame: Codeframe) -> tuple[list[int], dict[int, str]]:
    """The codeframe's text ids in order, and each one's redacted text."""
    rows = db.session.execute(
        select(CodeframeText.text_id, AnalysisText.redacted)
        .join(AnalysisText, AnalysisText.id == CodeframeText.text_id)
        .where(CodeframeText.codeframe_id == frame.id).order_by(CodeframeText.position)).all()
    return [int(r[0]) for r in rows], {int(r[0]): str(r[1]) for r in rows}


def _suggestions(
    frame: Codeframe, model: CodeSuggester, uncoded: list[int], proba: NDArray[np.float64]
) -> list[dict[str, Any]]:
    """Rows of `CodeSuggestion` for the uncoded texts: each text's KEEP_PER_TEXT most likely
    active codes, and any other at KEEP_ABOVE or more."""
    active = set(db.session.scalars(select(Code.id).where(
        Code.codeframe_id == frame.id, Code.active.is_(True))))
    real = [(j, int(c)) for j, c in enumerate(model.classes_)
            if c != NONE and int(c) in active]
    suggestions: list[dict[str, Any]] = []
    for row, text_id in zip(proba, uncoded, strict=True):
        ranked = sorted(real, key=lambda jc: -row[jc[0]])
        for rank, (j, code_id) in enumerate(ranked):
            if rank < KEEP_PER_TEXT or row[j] >= KEEP_ABOVE:
                suggestions.append({"codeframe_id": frame.id, "text_id": text_id,
                                    "code_id": code_id,
                                    "confidence": min(1.0, max(0.0, float(row[j])))})
    return suggestions


def _add_quality(
    frame: Codeframe,
    info: dict[str, Any],
    texts: list[str],
    coded_ids: list[int],
    labels: list[list[str]],
    feats: TextFeatures,
) -> None:
    """Each code's cross-validated quality into ``info``, and what a model that did not learn
    from them said of the double-coding sample's texts (set beside the resolved codes on the
    agreement page)."""
    from analysis.coding import code_quality, held_out_codes
    from engage.services.code.coding.double import sample_of

    held_out = held_out_codes(texts, labels, features=feats)
    quality = code_quality(texts, labels, features=feats, predicted=held_out)
    sample = sample_of(frame)
    sampled = set(sample.text_ids) if sample is not None else set()
    info["held_out"] = {str(t): sorted(p) for t, p in zip(coded_ids, held_out, strict=True)
                        if t in sampled}
    info["quality"] = {c: {"n_coded": q.n_coded, "precision": q.precision, "recall": q.recall,
                           "too_few": q.too_few} for c, q in quality.items()}
    del info["quality_pending"]


def _store(frame: Codeframe, suggestions: list[dict[str, Any]], info: dict[str, Any]) -> None:
    db.session.execute(delete(CodeSuggestion).where(CodeSuggestion.codeframe_id == frame.id))
    for start in range(0, len(suggestions), 5000):
        db.session.execute(insert(CodeSuggestion), suggestions[start:start + 5000])
    frame.suggested_at = utcnow()
    _save_info(frame, info)
    log.info("codeframe %s: %d suggestions stored", frame.id, len(suggestions))


def _save_info(frame: Codeframe, info: dict[str, Any]) -> None:
    keep = {k: v for k, v in (frame.model_info or {}).items() if k == "job_id"}
    frame.model_info = {**keep, **info}
    db.session.commit()
