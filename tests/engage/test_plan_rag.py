"""The RAG rule of plan indicators: expected value on the straight line, tolerances, direction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engage.services.decide.plan.rag import Trajectory, expected, planned_change, rag, shortfall

START = date(2024, 1, 1)
END = START + timedelta(days=1000)
MID = START + timedelta(days=500)  # half way
UP = Trajectory(40.0, START, 60.0, END, higher_is_better=True)
DOWN = Trajectory(300.0, START, 200.0, END, higher_is_better=False)


def test_expected_is_on_the_straight_line_and_clamped() -> None:
    assert expected(UP, START) == 40.0
    assert expected(UP, MID) == 50.0
    assert expected(UP, END) == 60.0
    assert expected(UP, date(2020, 6, 1)) == 40.0  # before the baseline: the baseline
    assert expected(UP, date(2030, 6, 1)) == 60.0  # after the target date: the target
    assert expected(DOWN, MID) == 250.0


@pytest.mark.parametrize(("value", "status"), [
    (50.0, "green"),   # on the line
    (58.0, "green"),   # ahead
    (49.0, "green"),   # behind by 1 of a 20-point change: 5%
    (48.5, "amber"),   # 7.5%
    (47.0, "amber"),   # 15%
    (46.9, "red"),     # 15.5%
    (30.0, "red"),     # worse than the baseline
])
def test_higher_is_better(value: float, status: str) -> None:
    assert rag(UP, value, MID) == status


@pytest.mark.parametrize(("value", "status"), [
    (250.0, "green"), (200.0, "green"), (255.0, "green"), (260.0, "amber"),
    (265.0, "amber"), (266.0, "red"), (320.0, "red"),
])
def test_lower_is_better(value: float, status: str) -> None:
    assert rag(DOWN, value, MID) == status


def test_direction_matters() -> None:
    flipped = Trajectory(40.0, START, 60.0, END, higher_is_better=False)
    assert rag(UP, 58.0, MID) == "green"
    assert rag(flipped, 58.0, MID) == "red"  # a plan to go up marked "lower is better"


def test_after_the_target_date_the_target_must_be_met() -> None:
    assert rag(UP, 60.0, date(2029, 1, 1)) == "green"
    assert rag(UP, 57.5, date(2029, 1, 1)) == "amber"
    assert rag(UP, 50.0, date(2029, 1, 1)) == "red"


def test_at_the_baseline_date_the_baseline_is_green() -> None:
    assert rag(UP, 40.0, START) == "green"
    assert shortfall(UP, 40.0, START) == 0.0


def test_holding_a_level_has_a_tolerance() -> None:
    hold = Trajectory(90.0, START, 90.0, END)
    assert planned_change(hold) == 90.0
    assert rag(hold, 90.0, MID) == "green"
    assert rag(hold, 86.0, MID) == "green"  # 4.4% of 90
    assert rag(hold, 80.0, MID) == "amber"
    assert rag(hold, 70.0, MID) == "red"
    zero = Trajectory(0.0, START, 0.0, END, higher_is_better=False)
    assert planned_change(zero) == 1.0
    assert rag(zero, 0.0, MID) == "green"
    assert rag(zero, 1.0, MID) == "red"
