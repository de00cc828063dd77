"""Suggestions: a refresh after every few codings (a background job), confidences stored for the
uncoded texts, the least sure offered next, per-code quality, and bulk acceptance of them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AnalysisText, Code, CodeSuggestion, Job
from engage.services.code.coding import suggest, texts
from tests.engage.coding_helpers import code_ids, codeframe, text_ids
from tests.engage.themes_helpers import analyst
from tests.pages import check_page, csrf_token, sign_in


def _label(text: str) -> str:
    lowered = text.lower()
    return "Parks" if any(w in lowered for w in ("park", "green", "play", "tree")) else "Roads"


def test_suggestions_follow_codings_and_feed_the_queue(app: Flask,
                                                        client: FlaskClient) -> None:
    frame = codeframe(n_texts=60)
    user = analyst("coder@example.org")
    ids = code_ids(frame)
    all_texts = text_ids(frame)
    body = {t.id: t.redacted for t in db.session.scalars(
        select(AnalysisText).where(AnalysisText.id.in_(all_texts)))}
    assert suggest.request_refresh(frame, user, force=True) is None  # nothing coded yet
    for t in all_texts[:suggest.REFIT_EVERY - 1]:
        texts.code_text(frame, t, user, [ids[_label(body[t])]])
        assert suggest.request_refresh(frame, user) is None
    texts.code_text(frame, all_texts[4], user, [ids["Roads"]])
    texts.code_text(frame, all_texts[5], user, [ids["Parks"]])
    job_id = suggest.request_refresh(frame, user)
    assert job_id is not None and db.session.get(Job, job_id).status == "succeeded"
    db.session.refresh(frame)
    info = frame.model_info
    assert info["status"] == "fitted" and info["coded_at_fit"] == 6
    assert set(info["quality"]) == {str(ids["Parks"]), str(ids["Roads"])}
    assert all(q["too_few"] for q in info["quality"].values())  # six texts: too few
    uncoded = set(all_texts[6:])
    stored = db.session.execute(select(CodeSuggestion.text_id, CodeSuggestion.code_id,
                                       CodeSuggestion.confidence)).all()
    assert {t for t, _c, _p in stored} == uncoded
    assert {c for _t, c, _p in stored} <= {ids["Parks"], ids["Roads"], ids["Safety"]}
    assert all(0.0 <= p <= 1.0 for _t, _c, p in stored)
    assert texts.queue(frame, 3) == info["next"][:3]
    assert suggest.request_refresh(frame, user) is None  # nothing new since
    # Bulk acceptance of what the model is sure of, on the page.
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get(f"/staff/coding/{frame.id}/queue"))
    assert "learnt from 6 texts" in soup.select_one("#model-status").get_text()
    assert soup.select_one("#code-quality").get_text().count("Too few to estimate") == 3
    text_page = check_page(client.get(f"/staff/coding/{frame.id}/texts/{all_texts[10]}"))
    assert "Suggested:" in text_page.get_text()
    token = csrf_token(client, f"/staff/coding/{frame.id}/queue")
    response = client.post(f"/staff/coding/{frame.id}/accept", data={
        "csrf_token": token, "code": str(ids["Roads"]), "threshold": "0"})
    assert response.status_code == 303
    roads = db.session.get(Code, ids["Roads"])
    assert len(texts.codings(frame)) == 6 + db.session.scalar(
        select(func.count()).select_from(CodeSuggestion).where(
            CodeSuggestion.code_id == roads.id))
    # Accepted suggestions do not teach the model.
    assert len(suggest.human_codings(frame)) == 6


def _confidences(frame_id: int) -> dict[tuple[int, int], float]:
    return {(t, c): p for t, c, p in db.session.execute(
        select(CodeSuggestion.text_id, CodeSuggestion.code_id, CodeSuggestion.confidence)
        .where(CodeSuggestion.codeframe_id == frame_id))}


def test_a_refresh_after_one_more_coding_starts_from_the_kept_model(app: Flask) -> None:
    frame = codeframe(n_texts=60)
    user = analyst("coder@example.org")
    ids = code_ids(frame)
    all_texts = text_ids(frame)
    body = {t.id: t.redacted for t in db.session.scalars(
        select(AnalysisText).where(AnalysisText.id.in_(all_texts)))}
    coded = [*all_texts[:12]]
    for t in coded:
        texts.code_text(frame, t, user, [ids[_label(body[t])]])
    suggest.forget_model(frame.id)
    first = suggest.refresh(frame)
    assert first["status"] == "fitted" and first["warm_start"] is False
    # One more coded text, the same codes: the refit starts from the kept weights.
    texts.code_text(frame, all_texts[12], user, [ids[_label(body[all_texts[12]])]])
    warm = suggest.refresh(frame)
    assert warm["warm_start"] is True
    assert warm["iterations"] < first["iterations"]
    warm_conf = _confidences(frame.id)
    warm_next = warm["next"]
    # The same refresh cold (nothing kept) gives the same suggestions, within the optimiser's
    # tolerance, and the same order to ask in.
    suggest.forget_model(frame.id)
    cold = suggest.refresh(frame)
    assert cold["warm_start"] is False and cold["iterations"] > warm["iterations"]
    cold_conf = _confidences(frame.id)
    assert warm_conf.keys() == cold_conf.keys() and len(cold_conf) > 0
    assert max(abs(warm_conf[k] - cold_conf[k]) for k in cold_conf) < 1e-3
    assert cold["next"] == warm_next
    # A code used for the first time: the model's codes changed, so the fit is cold.
    texts.code_text(frame, all_texts[13], user, [ids["Safety"]])
    assert suggest.refresh(frame)["warm_start"] is False
    assert suggest.refresh(frame)["warm_start"] is True  # nothing new: warm again


def test_kept_models_are_per_codeframe_and_few(app: Flask) -> None:
    user = analyst("coder@example.org")
    frames = [codeframe(user, n_texts=30) for _ in range(suggest.MODELS_KEPT + 1)]
    for frame in frames:
        ids = code_ids(frame)
        frame_texts = text_ids(frame)
        for i, t in enumerate(frame_texts[:6]):
            texts.code_text(frame, t, user, [ids["Parks" if i % 2 else "Roads"]])
        # Another codeframe's kept model (same codes' names, same texts) is never used.
        assert suggest.refresh(frame)["warm_start"] is False
    assert len(suggest._MODELS) <= suggest.MODELS_KEPT
    assert frames[0].id not in suggest._MODELS  # the oldest went first
    assert suggest.refresh(frames[-1])["warm_start"] is True


def test_suggestions_are_stored_before_the_slower_quality_estimates(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.coding

    frame = codeframe(n_texts=40)
    user = analyst("coder@example.org")
    ids = code_ids(frame)
    all_texts = text_ids(frame)
    for i, t in enumerate(all_texts[:6]):
        texts.code_text(frame, t, user, [ids["Parks" if i % 2 else "Roads"]])
    first = suggest.refresh(frame)
    assert "quality" in first and "quality_pending" not in first
    texts.code_text(frame, all_texts[6], user, [ids["Roads"]])

    def cut_off(*_args: object, **_kwargs: object) -> list[set[str]]:
        raise RuntimeError("worker stopped")

    monkeypatch.setattr(analysis.coding, "held_out_codes", cut_off)
    with pytest.raises(RuntimeError):
        suggest.refresh(frame)
    db.session.rollback()
    db.session.refresh(frame)
    # The new suggestions and order were committed; the last quality stands, marked pending.
    assert frame.model_info["coded_at_fit"] == 7 and frame.model_info["quality_pending"]
    assert frame.model_info["quality"] == first["quality"]
    assert set(_confidences(frame.id)) and all_texts[6] not in {
        t for t, _c in _confidences(frame.id)}


def test_queueing_a_refresh_is_one_retrying_transaction(app: Flask,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Queueing a refresh (its job and the codeframe's note of it) waits out a brief lock
    (issue 20): one job, then run."""
    from tests.locks import locked_once

    frame = codeframe(n_texts=20)
    user = analyst("coder@example.org")
    ids = code_ids(frame)
    for n, t in enumerate(text_ids(frame)[:suggest.MIN_CODED]):
        texts.code_text(frame, t, user, [ids["Parks" if n % 2 else "Roads"]])
    failed = locked_once(monkeypatch)
    job_id = suggest.request_refresh(frame, user, force=True)
    assert failed == [1]
    assert job_id is not None and db.session.get(Job, job_id).status == "succeeded"
    assert db.session.scalar(select(func.count(Job.id))) == 1
