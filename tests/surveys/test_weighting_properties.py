"""Property tests: raking never crashes on empty cells, zero targets or odd input; it explains."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.weighting import Trimming, rake, wilson_interval

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
DIMS = {"ward": ["a", "b", "c"], "age": ["young", "mid", "old"], "sex": ["f", "m"]}
ODD = [None, "prefer-not-to-say", ""]  # missing values
TARGET = st.one_of(
    st.sampled_from([0, 0.0, -1, float("nan"), float("inf"), 1, 2, 3, 10]),
    st.floats(min_value=0.01, max_value=1e6, allow_nan=False),
    st.floats(min_value=0.01, max_value=1e6, allow_nan=False))


@st.composite
def profiles(draw: Any) -> dict[str, dict[str, object]]:
    # each dimension's values come from its categories most of the time, sometimes odd
    rows = draw(st.lists(st.tuples(*(st.sampled_from(c * 6 + ODD) for c in DIMS.values())),
                         max_size=40))
    out = {f"r{i}": dict(zip(DIMS, row, strict=True)) for i, row in enumerate(rows)}
    if out and draw(st.booleans()):  # sometimes a category nobody targets, or an odd type
        out["r0"] = {**out["r0"], draw(st.sampled_from(list(DIMS))): draw(
            st.sampled_from(["x", "Bow East", 3, ["a"]]))}
    return out


@st.composite
def targets(draw: Any) -> dict[str, dict[str, float]]:
    dims = draw(st.lists(st.sampled_from(list(DIMS)), unique=True, min_size=1, max_size=3))
    out = {}
    for d in dims:
        every = st.just(DIMS[d])
        cats = draw(st.one_of(every, every, st.lists(st.sampled_from(DIMS[d]), unique=True,
                                                     min_size=1, max_size=3)))
        out[d] = {c: draw(TARGET) for c in cats}
    return out


TRIMMING = st.one_of(st.none(), st.builds(
    Trimming, upper=st.one_of(st.none(), st.floats(0.5, 10)),
    lower=st.one_of(st.none(), st.floats(0, 1.5))))


@SETTINGS
@given(profiles(), targets(), TRIMMING, st.sampled_from(["keep", "drop"]))
def test_raking_explains_instead_of_crashing(profiles: Any, targets: Any, trimming: Any,
                                             missing: Any) -> None:
    result = rake(profiles, targets, trimming=trimming, missing=missing, max_iterations=200)
    if not result.ok:
        assert result.report is None and not result.weights
        assert all(p.message and p.kind for p in result.problems)
        return
    report = result.report
    assert report is not None
    weights = list(result.weights.values())
    assert all(math.isfinite(w) and w > 0 for w in weights)
    assert math.isclose(sum(weights), len(weights), rel_tol=1e-9)
    assert report.design_effect >= 1 - 1e-9
    assert report.converged == (report.max_margin_error < 1e-6)
    assert report.converged or any(w.kind == "not-converged" for w in result.warnings)
    if trimming is not None and trimming.upper is not None:
        assert max(weights) <= trimming.upper * (1 + 1e-6)
    if trimming is not None and trimming.lower is not None:
        assert min(weights) >= trimming.lower * (1 - 1e-6)


@st.composite
def cell_counts(draw: Any) -> dict[str, dict[str, str | None]]:
    """Complete profiles over a 3 × 3 × 2 table with many empty cells."""
    out = {}
    for ward in DIMS["ward"]:
        for age in DIMS["age"]:
            for sex in DIMS["sex"]:
                for _ in range(draw(st.sampled_from([0, 0, 0, 1, 3, 10]))):
                    out[f"r{len(out)}"] = {"ward": ward, "age": age, "sex": sex}
    return out


@SETTINGS
@given(cell_counts(), st.lists(st.sampled_from([0, 0.5, 1, 2, 10]), min_size=8, max_size=8))
def test_empty_cells_and_zero_targets_are_explained(profiles: Any, values: list[float]) -> None:
    targets = {"ward": dict(zip(DIMS["ward"], values[:3], strict=True)),
               "age": dict(zip(DIMS["age"], values[3:6], strict=True)),
               "sex": dict(zip(DIMS["sex"], values[6:], strict=True))}
    result = rake(profiles, targets, max_iterations=300)
    seen = {(d, p[d]) for p in profiles.values() for d in DIMS}
    for dim, cats in targets.items():
        for cat, target in cats.items():
            if target > 0 and (dim, cat) not in seen and any(cats.values()):
                assert any(p.kind == "empty-category" and p.category == cat
                           for p in result.problems)
            if target == 0 and (dim, cat) in seen:
                assert any(p.kind in ("zero-target", "zero-total") for p in result.problems)
    if result.ok:
        assert result.report is not None and len(result.weights) == len(profiles)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.floats(0.01, 1e6))
def test_wilson_contains_p_and_stays_in_range(p: float, n: float) -> None:
    low, high = wilson_interval(p, n)
    assert 0 <= low <= p + 1e-12 and p - 1e-12 <= high <= 1
