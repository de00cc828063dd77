"""Weighted results per closed question: intervals, design effect, bases and suppression."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.weighting import question_results, wilson_interval, z_value


def test_wilson_known_values() -> None:
    # p = 0.5, n = 100: centre 0.5, half-width 1.96/(1+0.038416)·√(0.0025+0.000096) = 0.09617
    low, high = wilson_interval(0.5, 100)
    assert low == pytest.approx(0.404, abs=5e-4) and high == pytest.approx(0.596, abs=5e-4)
    # design effect 2 → n_eff 50: half-width 1.96/1.076832·√(0.005+0.000384) = 0.13355
    low2, high2 = wilson_interval(0.5, 100 / 2)
    assert low2 == pytest.approx(0.3664, abs=5e-4) and high2 == pytest.approx(0.6336, abs=5e-4)
    # p = 0.1, n = 50: centre (0.1 + 0.038416)/1.076832 = 0.12854,
    # half-width 1.96/1.076832·√(0.0018 + 0.00038416) = 0.08507 → 0.0435 to 0.2136
    low3, high3 = wilson_interval(0.1, 50)
    assert low3 == pytest.approx(0.0435, abs=2e-4) and high3 == pytest.approx(0.2136, abs=2e-4)
    assert wilson_interval(0.0, 10)[0] == 0.0 and wilson_interval(0.3, 0) == (0.0, 1.0)
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        z_value(1.5)


def _answers(values: list[Any], qid: str = "q") -> dict[str, dict[str, Any]]:
    return {f"r{i}": {qid: v} for i, v in enumerate(values)}


def test_single_choice_unweighted_and_weighted(make: Any) -> None:
    survey = make.one(make.question("q", "single-choice", options=make.options("yes", "no")))
    question = survey.question("q")
    answers = _answers(["yes"] * 60 + ["no"] * 40 + [None, "maybe"])
    plain = question_results(question, answers)
    assert plain.base == 100 and plain.design_effect == 1.0
    yes = plain.categories[0]
    assert (yes.option, yes.count, yes.percent, yes.weighted_percent) == ("yes", 60, 60.0, 60.0)
    low, high = wilson_interval(0.6, 100)
    assert (yes.ci_low, yes.ci_high) == pytest.approx((100 * low, 100 * high))
    # weight "yes" 0.5 and "no" 1.75: weighted yes = 30 / (30 + 70) = 30%
    weights = {rid: 0.5 if a["q"] == "yes" else 1.75 for rid, a in answers.items()}
    weighted = question_results(question, answers, weights)
    yes = weighted.categories[0]
    assert yes.percent == 60.0 and yes.weighted_percent == pytest.approx(30.0)
    assert weighted.weighted_base == pytest.approx(100)
    # Kish: (100)² / (60·0.25 + 40·3.0625) = 10000/137.5
    assert weighted.effective_base == pytest.approx(10000 / 137.5)
    assert weighted.design_effect == pytest.approx(1.375)
    low, high = wilson_interval(0.3, 10000 / 137.5)
    assert (yes.ci_low, yes.ci_high) == pytest.approx((100 * low, 100 * high))
    assert yes.ci_high - yes.ci_low > 2 * 100 * 1.96 * (0.3 * 0.7 / 100) ** 0.5


def test_design_effect_two_widens_as_n_eff_fifty(make: Any) -> None:
    survey = make.one(make.question("q", "single-choice", options=make.options("yes", "no")))
    # 80 people with weight 1 and 20 with weight 6: Σw = 200, Σw² = 80 + 720 = 800,
    # deff = n Σw² / (Σw)² = 100 · 800 / 40000 = 2, n_eff = 50. Half of each group says yes,
    # so p = 0.5 weighted, and the interval is Wilson's for n = 50: 0.3664 to 0.6336
    # (against 0.404 to 0.596 for n = 100).
    answers = _answers(["yes", "no"] * 50)
    weights = {f"r{i}": (6.0 if i < 20 else 1.0) for i in range(100)}
    result = question_results(survey.question("q"), answers, weights)
    assert result.design_effect == pytest.approx(2.0)
    assert result.effective_base == pytest.approx(50)
    yes = result.categories[0]
    assert yes.weighted_percent == pytest.approx(50.0)
    assert yes.ci_low == pytest.approx(36.64, abs=0.01)
    assert yes.ci_high == pytest.approx(63.36, abs=0.01)
    unweighted = question_results(survey.question("q"), answers).categories[0]
    assert unweighted.ci_low == pytest.approx(40.38, abs=0.01)


def test_suppression(make: Any) -> None:
    survey = make.one(make.question("q", "single-choice", options=make.options("a", "b", "c")))
    answers = _answers(["a"] * 30 + ["b"] * 9 + ["c"] * 10)
    result = question_results(survey.question("q"), answers)
    a, b, c = result.categories
    assert a.count == 30 and c.count == 10 and c.weighted_percent is not None
    assert b.count is None and b.percent is None and b.weighted_percent is None
    assert b.ci_low is None and b.suppressed == "Fewer than 10 respondents chose this answer."
    assert question_results(survey.question("q"), answers, min_count=5).categories[1].count == 9
    few = question_results(survey.question("q"), _answers(["a"] * 9))
    assert few.base == 9 and few.suppressed and all(x.suppressed for x in few.categories)


def test_multiple_choice_options_are_yes_no_shares(make: Any) -> None:
    survey = make.one(make.question("q", "multiple-choice",
                                    options=make.options("a", "b", "none", exclusive="none")))
    answers = _answers([["a", "b"]] * 20 + [["a"]] * 20 + [["none"]] * 10 + [[], None])
    result = question_results(survey.question("q"), answers, min_count=5)
    shares = {c.option: c.percent for c in result.categories}
    assert result.base == 50 and shares == {"a": 80.0, "b": 40.0, "none": 20.0}


def test_agreement_and_rating(make: Any) -> None:
    agree = make.one(make.question("q", "agreement", dont_know=True)).question("q")
    result = question_results(agree, _answers(["agree"] * 12 + ["dont-know"] * 12))
    assert [c.option for c in result.categories][-1] == "dont-know"
    assert {c.option: c.percent for c in result.categories}["agree"] == 50.0
    rating = make.one(make.question("q", "rating")).question("q")
    result = question_results(rating, _answers([7] * 10 + [10] * 30 + [True]), min_count=1)
    assert [c.option for c in result.categories] == [str(i) for i in range(11)]
    assert result.categories[10].percent == 75.0 and result.base == 40


def test_responses_without_a_weight_are_left_out_and_counted(make: Any) -> None:
    survey = make.one(make.question("q", "single-choice", options=make.options("a", "b")))
    answers = _answers(["a"] * 15 + ["b"] * 15)
    weights = {f"r{i}": 1.0 for i in range(25)}
    result = question_results(survey.question("q"), answers, weights)
    assert result.no_weight == 5 and result.base == 25


def test_open_questions_are_refused(make: Any) -> None:
    survey = make.one(make.question("q", "short-text"))
    with pytest.raises(ValueError, match="weighted percentages are for"):
        question_results(survey.question("q"), {})


def test_one_pass_over_several_questions_matches_a_plain_count(make: Any) -> None:
    """`questions_results` counts every question in one pass: the same figures as counting each
    question on its own, with odd answers (wrong types, unknown ids, blank lists, booleans,
    floats, duplicates) left out and responses without a weight counted as `no_weight`."""
    import random

    from surveys.weighting import questions_results

    survey = make.load(make.definition(make.page(
        "p", make.question("one", "single-choice", options=make.options("a", "b", "c")),
        make.question("many", "multiple-choice", options=make.options("x", "y", "z")),
        make.question("score", "rating"))))
    questions = [survey.question("one"), survey.question("many"), survey.question("score")]
    pick = random.Random(21)
    odd: list[Any] = [None, True, 1.0, 3, "", "nope", [], ["x", "bad"], {"a": 1}]
    answers: dict[str, dict[str, Any]] = {}
    for i in range(400):
        answers[f"r{i}"] = {
            "one": pick.choice(["a", "b", "c", "a", *odd]),
            "many": pick.choice([["x"], ["x", "y"], ["z", "z"], ["y", "z", "x"], *odd]),
            "score": pick.choice([0, 5, 10, "7", 10, True, 5.0, 11, "x", None])}
    weights = {f"r{i}": 0.5 + pick.random() for i in range(400) if i % 17}
    for given in (None, weights):
        together = questions_results(questions, answers, given, min_count=5)
        for question, result in zip(questions, together, strict=True):
            alone = question_results(question, answers, given, min_count=5)
            assert result == alone
            valid = {c.option for c in result.categories}
            counted = 0
            missing = 0
            for rid, answered in answers.items():
                value = answered.get(question.id)
                if question.type == "multiple-choice":
                    ok = isinstance(value, list) and bool(value) and set(value) <= valid
                elif question.type == "rating":
                    ok = (type(value) is int and str(value) in valid) or (
                        isinstance(value, str) and value in valid)
                else:
                    ok = isinstance(value, str) and value in valid
                if ok and given is not None and rid not in given:
                    missing += 1
                elif ok:
                    counted += 1
            assert (result.base, result.no_weight) == (counted, missing)
        chosen = together[1].categories
        z_count = sum(1 for rid, a in answers.items() if isinstance(a["many"], list)
                      and a["many"] and set(a["many"]) <= {"x", "y", "z"} and "z" in a["many"]
                      and (given is None or rid in given))
        assert chosen[2].count == z_count  # ["z", "z"] counts once
