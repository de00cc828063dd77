"""The priority board's arithmetic: pure Python, no Flask and no database (easy to test).

Each member scores each theme 1 to 5 on each criterion; criterion c has a weight w_c > 0.

- Criterion mean: m_c = the mean of the members' scores for the theme on criterion c.
- Theme score: S = sum(w_c * m_c) / sum(w_c), over the criteria the theme has scores for:
  a weighted mean, so it stays on the 1 to 5 scale whatever the weights add up to.
- A member's view: T_m = sum(w_c * v_mc) / sum(w_c) over the criteria member m scored.
- Disagreement: the spread of the members' views, as the population standard deviation of T_m
  and the range max(T_m) - min(T_m). A theme is flagged when the range is 2 points or more.
- Ranking: highest score first. Scores equal to 2 decimal places share a rank (1, 2, 2, 4) and
  are shown as ties. Themes nobody has scored have no rank and come last.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

MIN_SCORE = 1
MAX_SCORE = 5
DISAGREEMENT_RANGE = 2.0
TIE_DECIMALS = 2


@dataclass(frozen=True)
class Weight:
    """A criterion and its weight (any positive number; only the proportions matter)."""

    criterion: Hashable
    weight: float


@dataclass(frozen=True)
class Mark:
    """One member's score of one theme on one criterion."""

    item: Hashable
    criterion: Hashable
    member: Hashable
    value: int


@dataclass(frozen=True)
class ItemResult:
    """A theme's combined score, its rank and how far the members agree."""

    item: Hashable
    score: float | None
    criterion_means: dict[Hashable, float] = field(default_factory=dict)
    member_views: dict[Hashable, float] = field(default_factory=dict)
    spread: float | None = None
    range: float | None = None
    rank: int | None = None
    tied: bool = False

    @property
    def scorers(self) -> int:
        """How many members scored this theme."""
        return len(self.member_views)

    @property
    def disagreement(self) -> bool:
        """True when the members' views differ by DISAGREEMENT_RANGE points or more."""
        return self.range is not None and self.range >= DISAGREEMENT_RANGE


def weighted_mean(values: dict[Hashable, float], weights: dict[Hashable, float]) -> float | None:
    """sum(w * v) / sum(w) over the keys with a value and a positive weight; None if none."""
    total = 0.0
    weight_sum = 0.0
    for key, value in values.items():
        weight = weights.get(key, 0.0)
        if weight > 0:
            total += weight * value
            weight_sum += weight
    return total / weight_sum if weight_sum > 0 else None


def _spread(views: list[float]) -> tuple[float | None, float | None]:
    if not views:
        return None, None
    mean = sum(views) / len(views)
    sd = math.sqrt(sum((v - mean) ** 2 for v in views) / len(views))
    return sd, max(views) - min(views)


def rank(items: Sequence[Hashable], weights: Sequence[Weight], marks: Iterable[Mark],
         ) -> list[ItemResult]:
    """Combine the marks into one result per item, best first (see the module docstring)."""
    w = {c.criterion: float(c.weight) for c in weights}
    for c in weights:
        if not c.weight > 0:
            raise ValueError(f"weight of {c.criterion!r} must be positive")
    by_item: dict[Hashable, dict[Hashable, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_member: dict[Hashable, dict[Hashable, dict[Hashable, float]]] = defaultdict(
        lambda: defaultdict(dict))
    for mark in marks:
        if mark.criterion not in w or mark.item not in items:
            continue
        if not MIN_SCORE <= mark.value <= MAX_SCORE:
            raise ValueError(f"score {mark.value} is outside {MIN_SCORE}-{MAX_SCORE}")
        by_item[mark.item][mark.criterion].append(mark.value)
        by_member[mark.item][mark.member][mark.criterion] = float(mark.value)
    results: list[ItemResult] = []
    for item in items:
        means = {c: sum(v) / len(v) for c, v in by_item.get(item, {}).items() if v}
        score = weighted_mean(means, w)
        views: dict[Hashable, float] = {}
        for member, values in by_member.get(item, {}).items():
            view = weighted_mean(values, w)
            if view is not None:
                views[member] = view
        sd, spread_range = _spread(list(views.values()))
        results.append(ItemResult(item, score, means, views, sd, spread_range))
    return _ranked(results)


def _ranked(results: list[ItemResult]) -> list[ItemResult]:
    position = {r.item: i for i, r in enumerate(results)}
    scored = sorted((r for r in results if r.score is not None),
                    key=lambda r: (-round(r.score or 0.0, TIE_DECIMALS), position[r.item]))
    keys = [round(r.score or 0.0, TIE_DECIMALS) for r in scored]
    out: list[ItemResult] = []
    for i, r in enumerate(scored):
        first = keys.index(keys[i])
        tied = keys.count(keys[i]) > 1
        out.append(ItemResult(r.item, r.score, r.criterion_means, r.member_views, r.spread,
                              r.range, first + 1, tied))
    out.extend(r for r in results if r.score is None)
    return out
