"""Red, amber or green for an indicator, from its trajectory to target (pure: no database).

The trajectory is the straight line from the baseline (value and date) to the target (value and
date). On the date of an update the line gives the value the plan expected; the update is
compared with it, in the direction that is better for the indicator:

- green: at or better than expected, or worse by no more than GREEN_TOLERANCE (5%) of the whole
  planned change from baseline to target;
- amber: worse than that, by no more than AMBER_TOLERANCE (15%) of the planned change;
- red: worse still.

Before the baseline date the expected value is the baseline; after the target date, the target.
When baseline and target are the same (hold a level), the planned change is taken as the size
of the target (at least 1), so the tolerances keep a meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GREEN_TOLERANCE = 0.05
AMBER_TOLERANCE = 0.15
STATUSES: tuple[str, ...] = ("green", "amber", "red")


@dataclass(frozen=True)
class Trajectory:
    """Baseline and target of an indicator, and which way is better."""

    baseline_value: float
    baseline_on: date
    target_value: float
    target_on: date
    higher_is_better: bool = True


def expected(t: Trajectory, on: date) -> float:
    """The value on the straight line from baseline to target on a date (clamped at both ends)."""
    if on <= t.baseline_on:
        return t.baseline_value
    if on >= t.target_on:
        return t.target_value
    span = (t.target_on - t.baseline_on).days
    done = (on - t.baseline_on).days / span
    return t.baseline_value + (t.target_value - t.baseline_value) * done


def planned_change(t: Trajectory) -> float:
    """The size of the change the plan asks for (never 0)."""
    change = abs(t.target_value - t.baseline_value)
    return change if change > 0 else max(abs(t.target_value), 1.0)


def shortfall(t: Trajectory, value: float, on: date) -> float:
    """How far the value is behind the trajectory on that date, as a share of the planned
    change (0 or less: on or ahead of it)."""
    gap = expected(t, on) - value
    if not t.higher_is_better:
        gap = -gap
    return gap / planned_change(t)


def rag(t: Trajectory, value: float, on: date) -> str:
    """"green", "amber" or "red" for a value measured on a date."""
    behind = shortfall(t, value, on)
    if behind <= GREEN_TOLERANCE + 1e-9:
        return "green"
    if behind <= AMBER_TOLERANCE + 1e-9:
        return "amber"
    return "red"
