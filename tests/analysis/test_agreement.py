"""Agreement arithmetic, checked against an example worked by hand.

Two coders, ten texts, one code ("parks"). Coder A says yes to texts 1-4, coder B to texts 1-3
and 5; both say no to texts 6-10.

Cohen's kappa
    observed agreement p_o = 8 / 10 = 0.8 (texts 4 and 5 differ)
    A says yes 4/10, B says yes 4/10; expected p_e = 0.4 x 0.4 + 0.6 x 0.6 = 0.52
    kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 0.583333...

Krippendorff's alpha (nominal), two values per text so each pair weighs 1 / (2 - 1) = 1
    coincidences: o(yes,yes) = 2 x 3 = 6, o(no,no) = 2 x 5 = 10, o(yes,no) = o(no,yes) = 2
    n(yes) = 8, n(no) = 12, n = 20
    alpha = 1 - (n - 1) x (o(yes,no) + o(no,yes)) / (n(yes) n(no) + n(no) n(yes))
          = 1 - 19 x 4 / 192 = 1 - 76 / 192 = 0.604166...

A second code ("roads") where the coders agree on every text: yes for A and B on texts 4 and 5
only, so kappa = alpha = 1. Pooled over both codes (20 decisions, 2 disagreements):
    p_o = 18 / 20 = 0.9; A yes 6/20, B yes 6/20: p_e = 0.3^2 + 0.7^2 = 0.58
    kappa = 0.32 / 0.42 = 0.761904...
    alpha: o(yes,yes) = 2 x 5 = 10, o(no,no) = 2 x 13 = 26, o(yes,no) = o(no,yes) = 2
    n(yes) = 12, n(no) = 28, n = 40
    alpha = 1 - 39 x 4 / (2 x 12 x 28) = 1 - 156 / 672 = 0.767857...
"""

from __future__ import annotations

import pytest

from analysis.agreement import agreement_by_code, cohen_kappa, krippendorff_alpha

A = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
B = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]


def test_cohen_kappa_matches_the_hand_worked_example() -> None:
    assert cohen_kappa(A, B) == pytest.approx(0.28 / 0.48)
    assert cohen_kappa(A, A) == pytest.approx(1.0)


def test_krippendorff_alpha_matches_the_hand_worked_example() -> None:
    assert krippendorff_alpha([[a, b] for a, b in zip(A, B, strict=True)]) == pytest.approx(
        1 - 76 / 192)


def test_alpha_leaves_out_units_with_one_value_and_counts_three_coders() -> None:
    units = [[a, b] for a, b in zip(A, B, strict=True)] + [[1, None], [None, None]]
    assert krippendorff_alpha(units) == pytest.approx(1 - 76 / 192)
    # Three coders on one unit: every ordered pair weighs 1 / (3 - 1).
    assert krippendorff_alpha([["x", "x", "y"], ["y", "y", "y"]]) == pytest.approx(
        1 - 5 * 2 / (2 * 2 * 4))


def test_undefined_without_variation() -> None:
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert krippendorff_alpha([[0, 0], [0, 0]]) is None
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa([1], [1, 0])


def test_agreement_by_code_and_pooled_overall() -> None:
    texts = range(1, 11)
    first = {t: {c for c, yes in (("parks", A[t - 1]), ("roads", t in (4, 5))) if yes}
             for t in texts}
    second = {t: {c for c, yes in (("parks", B[t - 1]), ("roads", t in (4, 5))) if yes}
              for t in texts}
    second[99] = {"parks"}  # coded by the second coder only: not compared
    per_code, overall = agreement_by_code(["parks", "roads"], first, second)
    parks, roads = per_code
    assert (parks.units, parks.agreed, parks.first_yes, parks.second_yes) == (10, 8, 4, 4)
    assert parks.kappa == pytest.approx(0.28 / 0.48)
    assert parks.alpha == pytest.approx(1 - 76 / 192)
    assert roads.kappa == pytest.approx(1.0) and roads.alpha == pytest.approx(1.0)
    assert overall.units == 20 and overall.percent_agreed == pytest.approx(0.9)
    assert overall.kappa == pytest.approx(0.32 / 0.42)
    assert overall.alpha == pytest.approx(1 - 156 / 672)
