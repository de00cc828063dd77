"""Achieved against target per cell and per margin, for the fieldwork dashboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from surveys.weighting.population import DIMENSIONS


@dataclass(frozen=True)
class CellProgress:
    """One quota cell (a category per dimension): interviews achieved against the target."""

    cell: tuple[str, ...]
    achieved: int
    target: int

    @property
    def short_by(self) -> int:
        """Interviews still needed (0 when the target is met)."""
        return max(0, self.target - self.achieved)

    @property
    def percent(self) -> float | None:
        """Achieved as a percentage of the target (None when the target is 0)."""
        return 100 * self.achieved / self.target if self.target else None


@dataclass(frozen=True)
class MarginProgress:
    """One category of one dimension, achieved against target, as counts and shares."""

    dimension: str
    category: str
    achieved: int
    target: int
    achieved_share: float | None
    target_share: float | None

    @property
    def short_by(self) -> int:
        """Interviews still needed (0 when the target is met)."""
        return max(0, self.target - self.achieved)


@dataclass(frozen=True)
class FieldworkProgress:
    """Every cell and margin; `unplaced` counts responses with a missing or unknown category."""

    dimensions: tuple[str, ...]
    cells: tuple[CellProgress, ...]
    margins: tuple[MarginProgress, ...]
    achieved: int
    target: int
    unplaced: int


def fieldwork_progress(profiles: Iterable[Mapping[str, object]],
                       quotas: Mapping[tuple[str, ...], int],
                       dimensions: Sequence[str] = DIMENSIONS) -> FieldworkProgress:
    """Achieved vs target per cell and per margin from respondents' profiles and cell quotas.

    A response missing a dimension (or with a category not in the quotas) is not in any cell,
    but counts in the margins of the dimensions it does have; `unplaced` counts such responses.
    """
    dims = tuple(dimensions)
    known = [{cell[d] for cell in quotas} for d in range(len(dims))]
    in_cells: Counter[tuple[str, ...]] = Counter()
    per_margin: list[Counter[str]] = [Counter() for _ in dims]
    total = unplaced = 0
    for profile in profiles:
        total += 1
        values = tuple(profile.get(d) for d in dims)
        for d, value in enumerate(values):
            if isinstance(value, str) and value in known[d]:
                per_margin[d][value] += 1
        key = tuple(v if isinstance(v, str) else "" for v in values)
        if key in quotas:
            in_cells[key] += 1
        else:
            unplaced += 1
    cells = tuple(CellProgress(cell, in_cells[cell], target) for cell, target in quotas.items())
    margins: list[MarginProgress] = []
    for d, dim in enumerate(dims):
        targets: Counter[str] = Counter()
        for cell, target in quotas.items():
            targets[cell[d]] += target
        achieved_total, target_total = sum(per_margin[d].values()), sum(targets.values())
        for category, target in targets.items():
            got = per_margin[d][category]
            margins.append(MarginProgress(
                dim, category, got, target,
                got / achieved_total if achieved_total else None,
                target / target_total if target_total else None))
    return FieldworkProgress(dims, cells, tuple(margins), total, sum(quotas.values()), unplaced)
