"""The geometry of an indicator's chart (pure: no database, no Flask).

A line chart 320 units wide: the trajectory from baseline to target as a dashed line, the
updates as a solid line with points. The template draws it as SVG presentation attributes (the
page's CSP forbids inline styles), as the weighting chart does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 30  # room for the value labels and the years


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    """Coordinates in a 320 × 180 box."""

    baseline: Point
    target: Point
    points: tuple[Point, ...]
    y_ticks: tuple[tuple[float, float], ...]  # (value, y)
    x_ticks: tuple[tuple[int, float], ...]  # (year, x)
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT
    plot_top: float = TOP
    plot_bottom: float = HEIGHT - BOTTOM

    @property
    def path(self) -> str:
        """The updates as an SVG path ("M x y L x y ...")."""
        return " ".join(("M" if i == 0 else "L") + f" {p.x} {p.y}"
                        for i, p in enumerate(self.points))


def _nice_ticks(low: float, high: float) -> list[float]:
    """Three to six round values covering low..high (steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    value = math.floor(low / step) * step
    ticks = []
    while value <= high + step * 1e-9:
        if value >= low - step * 1e-9:
            ticks.append(round(value, 6))
        value += step
    return ticks


def build(baseline: tuple[date, float], target: tuple[date, float],
          updates: Sequence[tuple[date, float]]) -> Chart:
    """The chart of a trajectory and its updates (dates beyond the target stretch the axis)."""
    start = baseline[0]
    end = max([target[0], *(d for d, _ in updates)])
    values = [baseline[1], target[1], *(v for _, v in updates)]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = (0.0 if low >= 0 and low - pad < 0 else low - pad), high + pad
    ticks = _nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    days = max(1, (end - start).days)
    width = WIDTH - LEFT - RIGHT
    height = HEIGHT - TOP - BOTTOM

    def at(day: date, value: float) -> Point:
        x = LEFT + width * (day - start).days / days
        y = TOP + height * (high - value) / (high - low)
        return Point(round(x, 1), round(y, 1))

    years = range(start.year + (1 if start.month > 1 or start.day > 1 else 0), end.year + 1)
    step = max(1, -(-len(years) // 5))
    x_ticks = tuple((y, at(date(y, 1, 1), low).x) for y in list(years)[::step])
    return Chart(
        baseline=at(*baseline), target=at(*target),
        points=tuple(at(d, v) for d, v in updates),
        y_ticks=tuple((t, at(start, t).y) for t in ticks),
        x_ticks=x_ticks,
    )
