"""Raking: a table raked by hand, known results, demo-like data, trimming and impossible input."""

from __future__ import annotations

import pytest

from surveys.weighting import (
    Trimming,
    design_effect,
    effective_sample_size,
    illustrative_population,
    rake,
)


def _table(counts: dict[tuple[str, str], int]) -> dict[str, dict[str, str | None]]:
    """Profiles for a two-way table: counts per (A, B) cell."""
    profiles: dict[str, dict[str, str | None]] = {}
    for (a, b), count in counts.items():
        for _ in range(count):
            profiles[f"{a}{b}{len(profiles)}"] = {"A": a, "B": b}
    return profiles


def _weight(result: object, prefix: str) -> float:
    weights = result.weights  # type: ignore[attr-defined]
    values = {round(w, 9) for rid, w in weights.items() if rid.startswith(prefix)}
    assert len(values) == 1, "everyone in a cell has the same weight"
    return values.pop()


def test_two_by_two_raked_by_hand() -> None:
    # Sample of 100: A=x,B=p 30; x,q 10; y,p 20; y,q 40. Targets: A 50/50, B 50/50.
    # Round 1, A: x has 40 → ×50/40 = 1.25; y has 60 → ×50/60 = 0.8333.
    #   cells: xp 37.5, xq 12.5, yp 16.667, yq 33.333
    # Round 1, B: p has 54.167 → ×0.92308; q has 45.833 → ×1.09091.
    #   cells: xp 34.615, xq 13.636, yp 15.385, yq 36.364
    # Round 2, A: x 48.252 → ×1.03623; y 51.748 → ×0.96622 ... and so on.
    # Raking keeps the cross-product ratio of the sample table, (30·40)/(10·20) = 6, so the
    # limit is the table [[a, 50-a], [50-a, a]] with a/(50-a) = √6: a = 50·√6/(1+√6) = 35.5051.
    # Weights per person: xp 35.5051/30, xq 14.4949/10, yp 14.4949/20, yq 35.5051/40 (mean 1).
    profiles = _table({("x", "p"): 30, ("x", "q"): 10, ("y", "p"): 20, ("y", "q"): 40})
    targets = {"A": {"x": 0.5, "y": 0.5}, "B": {"p": 0.5, "q": 0.5}}
    result = rake(profiles, targets, trimming=None, tolerance=1e-10)
    assert result.ok and result.report is not None and result.report.converged
    a = 50 * 6**0.5 / (1 + 6**0.5)
    assert a == pytest.approx(35.5051, abs=1e-4)
    assert _weight(result, "xp") == pytest.approx(a / 30, abs=1e-7)
    assert _weight(result, "xq") == pytest.approx((50 - a) / 10, abs=1e-7)
    assert _weight(result, "yp") == pytest.approx((50 - a) / 20, abs=1e-7)
    assert _weight(result, "yq") == pytest.approx(a / 40, abs=1e-7)
    assert _weight(result, "xp") == pytest.approx(1.18350, abs=1e-5)
    assert result.report.iterations > 1


def test_one_round_of_one_dimension_is_post_stratification() -> None:
    # A alone: x 40 of 100 with target 25%, y 60 with 75% → weights 0.25/0.4 and 0.75/0.6.
    profiles = _table({("x", "p"): 40, ("y", "p"): 60})
    result = rake(profiles, {"A": {"x": 25, "y": 75}}, trimming=None)
    assert _weight(result, "xp") == pytest.approx(0.625)
    assert _weight(result, "yp") == pytest.approx(1.25)
    assert result.report is not None and result.report.iterations == 1


def test_sample_matching_targets_gets_weights_of_one() -> None:
    profiles = _table({("x", "p"): 20, ("x", "q"): 30, ("y", "p"): 20, ("y", "q"): 30})
    result = rake(profiles, {"A": {"x": 1, "y": 1}, "B": {"p": 40, "q": 60}})
    assert result.ok and result.report is not None
    assert set(result.weights.values()) == {1.0}
    assert result.report.iterations == 0 and result.report.converged
    assert result.report.design_effect == 1.0
    assert result.report.effective_sample_size == 100


def test_kish_on_a_known_vector() -> None:
    # (1+1+2+2)² / (1+1+4+4) = 36/10; deff = 4·10/36
    assert effective_sample_size([1, 1, 2, 2]) == pytest.approx(3.6)
    assert design_effect([1, 1, 2, 2]) == pytest.approx(10 / 9)
    assert design_effect([3.0] * 7) == pytest.approx(1.0)
    assert effective_sample_size([]) == 0.0 and design_effect([]) == 1.0


def test_demo_like_data_converges_and_matches_margins(demo_profiles: dict) -> None:
    targets = illustrative_population().margins()
    result = rake(demo_profiles, targets)
    assert result.ok, result.problems
    report = result.report
    assert report is not None and report.converged
    assert report.max_margin_error < 0.001  # within 0.1 percentage points
    for fit in report.margins:
        assert abs(fit.weighted - fit.target) < 0.001
    skewed = max(abs(f.unweighted - f.target) for f in report.margins)
    assert skewed > 0.02, "the sample really was skewed"
    assert sum(result.weights.values()) == pytest.approx(len(demo_profiles))
    assert 1 < report.design_effect < 2
    assert report.effective_sample_size == pytest.approx(len(demo_profiles) / report.design_effect)
    assert "missing-values" in {w.kind for w in result.warnings}


def test_weights_are_deterministic(demo_profiles: dict) -> None:
    targets = illustrative_population().margins()
    assert rake(demo_profiles, targets).weights == rake(demo_profiles, targets).weights


def test_trimming_caps_and_floors_and_rerakes() -> None:
    # x is 5% of the sample but 50% of the target: untrimmed weight 10, then capped.
    profiles = _table({("x", "p"): 5, ("y", "p"): 95})
    untrimmed = rake(profiles, {"A": {"x": 0.5, "y": 0.5}}, trimming=None)
    assert max(untrimmed.weights.values()) == pytest.approx(10)
    trimmed = rake(profiles, {"A": {"x": 0.5, "y": 0.5}}, trimming=Trimming(upper=3, lower=0.5))
    assert trimmed.ok and trimmed.report is not None
    assert max(trimmed.weights.values()) <= 3 * (1 + 1e-9)
    assert min(trimmed.weights.values()) >= 0.5 * (1 - 1e-9)
    assert not trimmed.report.converged  # the bounds make the target impossible
    kinds = {w.kind for w in trimmed.warnings}
    assert {"not-converged", "trimmed"} <= kinds
    assert trimmed.report.trimmed > 0


def test_trimming_that_still_allows_the_targets_converges(demo_profiles: dict) -> None:
    targets = illustrative_population().margins()
    result = rake(demo_profiles, targets, trimming=Trimming(upper=3.0, lower=0.3))
    assert result.report is not None and result.report.converged
    assert result.report.max_weight <= 3 * (1 + 1e-9)
    assert result.report.min_weight >= 0.3 * (1 - 1e-9)


def test_missing_values_keep_and_drop() -> None:
    profiles = _table({("x", "p"): 30, ("y", "p"): 30, ("x", "q"): 20, ("y", "q"): 20})
    profiles["m1"] = {"A": "prefer-not-to-say", "B": "p"}
    profiles["m2"] = {"B": "q"}
    targets = {"A": {"x": 0.6, "y": 0.4}, "B": {"p": 0.5, "q": 0.5}}
    kept = rake(profiles, targets)
    assert kept.ok and len(kept.weights) == 102
    missing = [w for w in kept.warnings if w.kind == "missing-values"]
    assert missing[0].dimension == "A" and missing[0].count == 2
    assert kept.report is not None and kept.report.converged
    dropped = rake(profiles, targets, missing="drop")
    assert dropped.ok and len(dropped.weights) == 100 and "m1" not in dropped.weights
    assert dropped.warnings[0].kind == "dropped" and dropped.warnings[0].count == 2


@pytest.mark.parametrize(
    ("profiles", "targets", "kinds"),
    [
        ({}, {"A": {"x": 1}}, {"no-respondents"}),
        ({"1": {"A": "x"}}, {}, {"no-targets"}),
        ({"1": {"A": "x"}}, {"A": {}}, {"no-targets"}),
        ({"1": {"A": "x"}, "2": {"A": "y"}}, {"A": {"x": 1, "y": -1}}, {"negative-target"}),
        ({"1": {"A": "x"}}, {"A": {"x": 0}}, {"zero-total"}),
        ({"1": {"A": "x"}, "2": {"A": "y"}}, {"A": {"x": 1, "y": 0}}, {"zero-target"}),
        ({"1": {"A": "x"}}, {"A": {"x": 1, "y": 1}}, {"empty-category"}),
        ({"1": {"A": "x"}, "2": {"A": "Y"}}, {"A": {"x": 1, "y": 1}},
         {"unknown-category", "empty-category"}),
        ({"1": {"A": None}}, {"A": {"x": 1}}, {"all-missing"}),
        ({"1": {"A": "x"}}, {"A": {"x": float("nan")}}, {"invalid-target"}),
        ({"1": {"A": "x"}}, {"A": {"x": "12"}}, {"invalid-target"}),
    ],
)
def test_impossible_input_is_explained(profiles: dict, targets: dict, kinds: set[str]) -> None:
    result = rake(profiles, targets)
    assert not result.ok and result.report is None and not result.weights
    assert {p.kind for p in result.problems} == kinds
    assert all(p.message.endswith(".") or p.message.endswith("?") for p in result.problems)


def test_messages_are_plain_english() -> None:
    result = rake({"1": {"ward": "bow-est"}, "2": {"ward": "bow-east"}},
                  {"ward": {"bow-east": 1, "mile-end": 1}})
    messages = [p.message for p in result.problems]
    assert any("Did you mean 'bow-east'?" in m for m in messages)
    assert any("No respondents are in ward 'mile-end' (target 50.0%)" in m for m in messages)


def test_bad_settings_are_explained() -> None:
    profiles = {"1": {"A": "x"}}
    assert rake(profiles, {"A": {"x": 1}}, trimming=Trimming(upper=0.5)).problems[0].kind == (
        "invalid-setting")
    assert not rake(profiles, {"A": {"x": 1}}, tolerance=0).ok
    assert not rake(profiles, {"A": {"x": 1}}, missing="guess").ok  # type: ignore[arg-type]


def test_unused_zero_category_and_inconsistent_totals_warn() -> None:
    profiles = _table({("x", "p"): 10, ("y", "q"): 10})
    result = rake(profiles, {"A": {"x": 50, "y": 50, "z": 0}, "B": {"p": 60, "q": 80}})
    assert result.ok
    assert {"unused-category", "inconsistent-totals"} <= {w.kind for w in result.warnings}
