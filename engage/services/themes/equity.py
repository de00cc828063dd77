"""The equity lens: how often each group raises a theme, against the overall rate.

For each dimension (ward, age band, sex, ethnicity, disability, channel, language) and each group
in it: the base (texts from that group in the run), how many are in the theme, the rate, the
difference from the overall rate in percentage points, and a flag where the group raises the
theme much more than others: rate at least 1.5 times the rest's, at least 5 points above it, and
a two-proportion z-test with |z| >= 1.96. Groups with a base under 10 texts are suppressed (no
count or rate shown) so small groups cannot be picked out.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Theme

DIMENSIONS: tuple[str, ...] = ("ward", "age_band", "sex", "ethnicity", "disability", "channel",
                               "language")
MIN_BASE = 10
FLAG_RATIO = 1.5
FLAG_POINTS = 0.05
FLAG_Z = 1.96


@dataclass(frozen=True)
class Cell:
    """One group's figures for a theme (count and rate None when suppressed)."""

    group: str
    base: int
    count: int | None
    rate: float | None
    difference: float | None  # rate minus the overall rate
    ratio: float | None  # rate / rate of everyone else
    flagged: bool
    suppressed: bool

    @property
    def heat(self) -> int:
        """0 (much lower) to 4 (much higher) for the heat-map colour; 2 is about the same."""
        if self.ratio is None:
            return 2
        if self.ratio >= 2:
            return 4
        if self.ratio >= 1.25:
            return 3
        if self.ratio <= 0.5:
            return 0
        if self.ratio <= 0.8:
            return 1
        return 2


@dataclass(frozen=True)
class Dimension:
    """The groups of one dimension; ``known`` texts had a value for it."""

    name: str
    cells: list[Cell]
    known: int


@dataclass(frozen=True)
class Lens:
    """A theme's equity lens."""

    overall_rate: float
    total: int
    size: int
    dimensions: list[Dimension]


def _value(dim: str, ward: str, channel: str, language: str, attrs: dict[str, str]) -> str:
    if dim == "ward":
        return ward
    if dim == "channel":
        return channel
    if dim == "language":
        return language
    value = (attrs or {}).get(dim, "")
    return "" if value == "prefer-not-to-say" else value


def _z(c1: int, n1: int, c2: int, n2: int) -> float:
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (c1 + c2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    return 0.0 if var <= 0 else (c1 / n1 - c2 / n2) / math.sqrt(var)


def lens(theme: Theme) -> Lens:
    """The equity lens of a theme over its run's texts."""
    rows = db.session.execute(
        select(RunText.theme_id, AnalysisText.ward, AnalysisText.channel,
               AnalysisText.language, AnalysisText.attributes)
        .join(AnalysisText, AnalysisText.id == RunText.text_id)
        .where(RunText.run_id == theme.run_id)).all()
    total = len(rows)
    size = sum(1 for r in rows if r[0] == theme.id)
    overall = size / total if total else 0.0
    dims: list[Dimension] = []
    for dim in DIMENSIONS:
        bases: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for theme_id, ward, channel, language, attrs in rows:
            value = _value(dim, ward, channel, language, attrs)
            if not value:
                continue
            bases[value] += 1
            if theme_id == theme.id:
                counts[value] += 1
        known = sum(bases.values())
        known_in = sum(counts.values())
        cells: list[Cell] = []
        for group in sorted(bases):
            base = bases[group]
            if base < MIN_BASE:
                cells.append(Cell(group, base, None, None, None, None, False, True))
                continue
            count = counts[group]
            rate = count / base
            rest_n, rest_c = known - base, known_in - count
            rest_rate = rest_c / rest_n if rest_n else None
            ratio = (rate / rest_rate if rest_rate else None) if rest_rate is not None else None
            flagged = bool(rest_rate is not None and rate >= FLAG_RATIO * rest_rate
                           and rate - rest_rate >= FLAG_POINTS
                           and _z(count, base, rest_c, rest_n) >= FLAG_Z)
            cells.append(Cell(group, base, count, rate, rate - overall, ratio, flagged, False))
        if cells:
            dims.append(Dimension(dim, cells, known))
    return Lens(overall, total, size, dims)
