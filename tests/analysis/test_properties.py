"""Hypothesis: no input crashes the pipeline, and the output is always consistent."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import ThemeModel, ThemeResult, assign, redact
from analysis.preprocess import features

WORDS = [
    "bins",
    "parking",
    "police",
    "not",
    "nothing",
    "N/A",
    "no",
    "safe",
    "rubbish",
    "park",
    "রাস্তা",
    "আবর্জনা",
    "😀",
    "£5",
    "E1 6AN",
    "07700 900123",
    "a@b.co",
    "'",
    "-",
    "\n",
    "x" * 300,
]
text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(text, max_size=40),
    k=st.one_of(st.just("auto"), st.integers(1, 8)),
    seed=st.integers(0, 3),
)
def test_pipeline_never_crashes(texts: list[str], k: int | str, seed: int) -> None:
    model = ThemeModel(n_themes=k, min_themes=2, max_themes=6, random_state=seed).fit(
        texts
    )
    result = model.result_
    assert len(result.assignments) == len(texts)
    ids = {t.id for t in result.themes}
    assert all(a.theme_id is None or a.theme_id in ids for a in result.assignments)
    assert sum(t.size for t in result.themes) + sum(
        a.theme_id is None for a in result.assignments
    ) == len(texts)
    for theme in result.themes:
        assert theme.size >= 1 and 1 <= len(theme.label.split()) <= 6
    again = ThemeResult.from_json(result.to_json())
    json.loads(again.to_json())
    assign(texts[:5], again)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_redact_and_features_total(s: str) -> None:
    result = redact(s)
    for span in result.spans:
        assert s[span.start : span.end] == span.original
    assert all(f.strip() for f in features(s))
