"""The priority board's scoring arithmetic (pure: no app, no database)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.services.decide.priorities.scoring import Mark, Weight, rank, weighted_mean

W = [Weight("need", 2), Weight("equity", 1), Weight("fit", 1)]


def _marks(item: str, member: str, need: int, equity: int, fit: int) -> list[Mark]:
    return [Mark(item, "need", member, need), Mark(item, "equity", member, equity),
            Mark(item, "fit", member, fit)]


def test_weighted_mean_of_criterion_means() -> None:
    marks = _marks("a", "m1", 5, 3, 1) + _marks("a", "m2", 3, 3, 3)
    [result] = rank(["a"], W, marks)
    # criterion means: need 4, equity 3, fit 2 -> (2*4 + 3 + 2) / 4 = 3.25
    assert result.score == pytest.approx(3.25)
    assert result.criterion_means == {"need": 4.0, "equity": 3.0, "fit": 2.0}
    # member views: m1 (10+3+1)/4 = 3.5, m2 3.0
    assert result.member_views == {"m1": pytest.approx(3.5), "m2": pytest.approx(3.0)}
    assert result.spread == pytest.approx(0.25)
    assert result.range == pytest.approx(0.5)
    assert result.scorers == 2
    assert result.rank == 1 and not result.tied and not result.disagreement


def test_weights_change_the_order() -> None:
    marks = _marks("a", "m1", 5, 1, 1) + _marks("b", "m1", 1, 5, 5)
    by_need = rank(["a", "b"], [Weight("need", 10), Weight("equity", 1), Weight("fit", 1)], marks)
    assert [r.item for r in by_need] == ["a", "b"]
    by_rest = rank(["a", "b"], [Weight("need", 1), Weight("equity", 1), Weight("fit", 1)], marks)
    assert [r.item for r in by_rest] == ["b", "a"]
    # Only the proportions of the weights matter.
    doubled = rank(["a", "b"], [Weight("need", 20), Weight("equity", 2), Weight("fit", 2)], marks)
    assert [r.score for r in doubled] == pytest.approx([r.score for r in by_need])


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    marks = (_marks("a", "m1", 4, 4, 4) + _marks("b", "m1", 5, 5, 5)
             + _marks("c", "m1", 4, 4, 4) + _marks("d", "m1", 2, 2, 2))
    results = rank(["a", "b", "c", "d"], W, marks)
    assert [(r.item, r.rank, r.tied) for r in results] == [
        ("b", 1, False), ("a", 2, True), ("c", 2, True), ("d", 4, False)]


def test_scores_equal_to_two_decimals_tie() -> None:
    # a: (2*3 + 3 + 4)/4 = 3.25 ; b: need mean 3.25 across 4 members, others 3.25 too.
    marks = _marks("a", "m1", 3, 3, 4)
    marks += [Mark("b", c, m, v) for c in ("need", "equity", "fit")
              for m, v in (("m1", 3), ("m2", 3), ("m3", 3), ("m4", 4))]
    results = rank(["a", "b"], W, marks)
    assert results[0].score == pytest.approx(3.25) and results[1].score == pytest.approx(3.25)
    assert all(r.rank == 1 and r.tied for r in results)


def test_disagreement_is_the_spread_of_member_views() -> None:
    marks = _marks("a", "m1", 5, 5, 5) + _marks("a", "m2", 1, 1, 1) + _marks("a", "m3", 3, 3, 3)
    [result] = rank(["a"], W, marks)
    assert result.score == pytest.approx(3.0)
    assert result.range == pytest.approx(4.0)
    assert result.spread == pytest.approx((8 / 3) ** 0.5)
    assert result.disagreement


def test_unscored_items_come_last_without_a_rank() -> None:
    results = rank(["a", "b", "c"], W, _marks("c", "m1", 1, 1, 1))
    assert [(r.item, r.rank, r.score) for r in results] == [
        ("c", 1, pytest.approx(1.0)), ("a", None, None), ("b", None, None)]
    assert results[1].spread is None and not results[1].disagreement


def test_partial_scores_use_only_the_criteria_scored() -> None:
    [result] = rank(["a"], W, [Mark("a", "equity", "m1", 2)])
    assert result.score == pytest.approx(2.0)


def test_marks_for_removed_criteria_or_unknown_items_are_ignored() -> None:
    [result] = rank(["a"], W, [Mark("a", "gone", "m1", 5), Mark("z", "need", "m1", 5),
                               Mark("a", "need", "m1", 1)])
    assert result.score == pytest.approx(1.0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        rank(["a"], W, [Mark("a", "need", "m1", 6)])
    with pytest.raises(ValueError):
        rank(["a"], [Weight("need", 0)], [])
    assert weighted_mean({}, {}) is None


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["need", "equity", "fit"]),
                          st.sampled_from(["m1", "m2", "m3"]), st.integers(1, 5)), max_size=40))
def test_scores_stay_on_the_scale_and_ranks_are_ordered(raw: list[tuple[str, str, str, int]]
                                                        ) -> None:
    results = rank(list("abcd"), W, [Mark(*r) for r in raw])
    scored = [r for r in results if r.score is not None]
    assert all(1 <= (r.score or 0) <= 5 for r in scored)
    assert [r.rank for r in scored] == sorted(r.rank for r in scored)
    assert all(r.rank is None for r in results[len(scored):])


def test_the_module_is_pure() -> None:
    import engage.services.decide.priorities.scoring as module

    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.split(".")[0] in ("flask", "sqlalchemy", "engage")}
