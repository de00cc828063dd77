"""Raking (iterative proportional fitting) of respondents' weights to marginal targets.

Each round adjusts the weights for one dimension after another so that the weighted shares of
that dimension's categories equal the targets (Deming and Stephan 1940); rounds repeat until every
margin is within `tolerance`. With trimming, after each round weights are capped at `upper` × and
floored at `lower` × the mean weight, and the next round re-rakes, so the result meets the bounds
and, when the bounds allow it, the margins.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from itertools import repeat
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from surveys.weighting import issues as k
from surveys.weighting.checks import Profiles, Targets, check_input, totals_warning
from surveys.weighting.intervals import design_effect, effective_sample_size
from surveys.weighting.issues import WeightingIssue

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
MISSING: tuple[str, ...] = ("prefer-not-to-say", "dont-know")
"""Profile values treated as "not known" (as is None)."""


@dataclass(frozen=True)
class Trimming:
    """Bounds on weights as multiples of the mean weight (None: no bound on that side)."""

    upper: float | None = 5.0
    lower: float | None = 0.2


@dataclass(frozen=True)
class MarginFit:
    """One category of one margin: target share, and the unweighted and weighted sample shares."""

    dimension: str
    category: str
    target: float
    unweighted: float
    weighted: float


@dataclass(frozen=True)
class RakingReport:
    """How raking went: convergence, the largest margin gap, Kish's n_eff and design effect."""

    iterations: int
    converged: bool
    max_margin_error: float
    """Largest |weighted share - target share| over all margins (0.001 = 0.1 percentage points)."""
    respondents: int
    effective_sample_size: float
    design_effect: float
    trimmed: int
    """Respondents whose weight ended on a trimming bound."""
    min_weight: float
    max_weight: float
    margins: tuple[MarginFit, ...] = ()


@dataclass(frozen=True)
class WeightingResult:
    """Weights per response id (mean 1), the report, and problems and warnings in plain English."""

    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    report: RakingReport | None = None
    problems: tuple[WeightingIssue, ...] = ()
    warnings: tuple[WeightingIssue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when weights were computed (there may still be warnings)."""
        return not self.problems


@dataclass(frozen=True)
class _Design:
    """Integer codes per dimension (-1: missing) and target shares as arrays."""

    names: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    codes: tuple[Ints, ...]
    shares: tuple[Floats, ...]


def _known(codes: Ints) -> tuple[Ints | slice, Ints]:
    """Where a dimension is known, and the codes there (a slice when everyone is known)."""
    if bool((codes >= 0).all()):
        return slice(None), codes
    index = np.flatnonzero(codes >= 0)
    return index, codes[index]


Part = tuple[Ints | slice, Ints, Floats]
"""One dimension: where it is known, the codes there, and the target shares."""


def _parts(design: _Design) -> list[Part]:
    return [(*_known(c), s) for c, s in zip(design.codes, design.shares, strict=True)]


def margin_errors(parts: list[Part], w: Floats) -> tuple[float, list[Floats]]:
    """The largest |weighted share - target|, and the weighted shares per dimension."""
    worst, shares = 0.0, []
    for where, known, target in parts:
        totals = np.bincount(known, weights=w[where], minlength=len(target))
        total = float(totals.sum())
        share: Floats = totals / total if total > 0 else np.zeros(len(target))
        shares.append(share)
        worst = max(worst, float(np.abs(share - target).max()))
    return worst, shares


def trim(w: Floats, trimming: Trimming) -> None:
    """Cap and floor weights in place relative to their mean, until the bounds hold for the
    mean of the trimmed weights too (clipping moves the mean, so repeat a few times)."""
    for _ in range(100):
        mean = float(w.mean())
        low = mean * trimming.lower if trimming.lower is not None else None
        high = mean * trimming.upper if trimming.upper is not None else None
        if (low is None or float(w.min()) >= low * (1 - 1e-9)) and (
            high is None or float(w.max()) <= high * (1 + 1e-9)
        ):
            return
        np.clip(w, low, high, out=w)


def _clip_once(w: Floats, trimming: Trimming) -> None:
    """Rescale weights to mean 1 and clip them to the bounds, in place."""
    w *= len(w) / w.sum()
    np.clip(w, trimming.lower, trimming.upper, out=w)


def rake_arrays(design: _Design, trimming: Trimming | None, tolerance: float,
                max_iterations: int) -> tuple[Floats, int, bool, float]:
    """Raking on integer codes: (weights with mean 1, rounds, converged, max margin error).

    Stops when every margin is within `tolerance`, after `max_iterations` rounds, or when 20
    rounds in a row shrink the largest gap by less than 0.1% (it has stalled: the targets
    cannot all be met, e.g. because of empty cells or tight trimming).
    """
    n = len(design.codes[0]) if design.codes else 0
    w = np.ones(n)
    parts = _parts(design)
    error, rounds, stalled = margin_errors(parts, w)[0], 0, 0
    while error >= tolerance and rounds < max_iterations and stalled < 20:
        rounds += 1
        for where, known, target in parts:
            totals = np.bincount(known, weights=w[where], minlength=len(target))
            wanted = target * totals.sum()
            factor = np.divide(wanted, totals, out=np.ones_like(totals), where=totals > 0)
            w[where] *= factor[known]
        if trimming is not None:
            _clip_once(w, trimming)
        previous, error = error, margin_errors(parts, w)[0]
        if trimming is not None and error < tolerance:
            trim(w, trimming)  # make the bounds hold exactly for the final mean, then recheck
            error = margin_errors(parts, w)[0]
        stalled = stalled + 1 if error > previous * 0.999 else 0
    if trimming is not None:
        trim(w, trimming)
        error = margin_errors(parts, w)[0]
    w *= n / w.sum()
    return w, rounds, error < tolerance, error


def _design(checked_shares: Mapping[str, Mapping[str, float]],
            columns: Mapping[str, list[str | None]]) -> _Design:
    names = tuple(checked_shares)
    categories = tuple(tuple(checked_shares[d]) for d in names)
    codes, shares = [], []
    for dim, cats in zip(names, categories, strict=True):
        index: dict[str | None, int] = {c: i for i, c in enumerate(cats)}
        column = columns[dim]
        codes.append(np.fromiter(map(index.get, column, repeat(-1)), np.intp, len(column)))
        shares.append(np.array([checked_shares[dim][c] for c in cats], float))
    return _Design(names, categories, tuple(codes), tuple(shares))


def _settings_problems(trimming: Trimming | None, tolerance: float,
                       max_iterations: int) -> list[WeightingIssue]:
    out = []
    if trimming is not None:
        lower = trimming.lower if trimming.lower is not None else 0.0
        upper = trimming.upper if trimming.upper is not None else float("inf")
        if not (0 <= lower <= 1 <= upper):
            out.append(WeightingIssue(k.INVALID_SETTING, f"Trimming bounds lower {trimming.lower}"
                                      f" and upper {trimming.upper} are impossible: the lower "
                                      "bound must be between 0 and 1, the upper 1 or more."))
    if not tolerance > 0 or max_iterations < 1:
        out.append(WeightingIssue(k.INVALID_SETTING, "The tolerance must be above 0 and the "
                                  "maximum number of rounds at least 1."))
    return out


def _fits(design: _Design, w: Floats) -> tuple[MarginFit, ...]:
    parts = _parts(design)
    ones = margin_errors(parts, np.ones_like(w))[1]
    weighted = margin_errors(parts, w)[1]
    return tuple(
        MarginFit(dim, cat, float(design.shares[d][i]), float(ones[d][i]), float(weighted[d][i]))
        for d, dim in enumerate(design.names) for i, cat in enumerate(design.categories[d]))


def rake(profiles: Profiles, targets: Targets, *, trimming: Trimming | None = Trimming(),
         missing: Literal["keep", "drop"] = "keep", missing_values: Collection[str] = MISSING,
         tolerance: float = 1e-6, max_iterations: int = 1000) -> WeightingResult:
    """Rake complete responses' weights to marginal targets; explain problems instead of failing.

    `profiles`: response id → {dimension: category or None}; `targets`: dimension → category →
    share or count. A respondent whose value for a dimension is None or in `missing_values` is,
    with missing="keep", left out of that dimension's adjustment (the targets are met among those
    who gave it); with missing="drop", left out of weighting altogether (no weight).
    """
    problems = _settings_problems(trimming, tolerance, max_iterations)
    if missing not in ("keep", "drop"):
        problems.append(WeightingIssue(k.INVALID_SETTING, f"Unknown missing-value policy "
                                       f"{missing!r}: use 'keep' or 'drop'."))
    checked = check_input(profiles, targets, frozenset(missing_values))
    warnings = list(checked.warnings)
    ids = list(profiles)
    if missing == "drop" and not checked.problems and not problems:
        columns = list(checked.columns.values())
        kept = [r for i, r in enumerate(ids) if all(c[i] is not None for c in columns)]
        if len(kept) < len(ids):
            dropped = len(ids) - len(kept)
            note = WeightingIssue(k.DROPPED, f"{dropped} respondent(s) did not give every "
                                  "dimension and are left out of the weighting (no weight).",
                                  count=dropped)
            inner = rake({r: profiles[r] for r in kept}, targets, trimming=trimming,
                         missing="keep", missing_values=missing_values, tolerance=tolerance,
                         max_iterations=max_iterations)
            return replace(inner, warnings=(note, *inner.warnings))
    problems.extend(checked.problems)
    if problems:
        return WeightingResult(problems=tuple(problems), warnings=tuple(warnings))
    design = _design(checked.shares, checked.columns)
    w, rounds, converged, error = rake_arrays(design, trimming, tolerance, max_iterations)
    report = _report(design, w, rounds, converged, error, trimming)
    warnings.extend(_result_warnings(report, design, w, trimming, max_iterations))
    if (totals := totals_warning(targets)) is not None:
        warnings.append(totals)
    weights = MappingProxyType(dict(zip(ids, w.tolist(), strict=True)))
    return WeightingResult(weights, report, (), tuple(warnings))


def _report(design: _Design, w: Floats, rounds: int, converged: bool, error: float,
            trimming: Trimming | None) -> RakingReport:
    trimmed = 0
    if trimming is not None:
        if trimming.upper is not None:
            trimmed += int((w >= trimming.upper * (1 - 1e-6)).sum())
        if trimming.lower is not None:
            trimmed += int((w <= trimming.lower * (1 + 1e-6)).sum())
    return RakingReport(rounds, converged, error, len(w), effective_sample_size(w),
                        design_effect(w), trimmed, float(w.min()), float(w.max()),
                        _fits(design, w))


def _result_warnings(report: RakingReport, design: _Design, w: Floats,
                     trimming: Trimming | None, max_iterations: int) -> list[WeightingIssue]:
    out = []
    if not report.converged:
        worst = max(report.margins, key=lambda f: abs(f.weighted - f.target))
        out.append(WeightingIssue(
            k.NOT_CONVERGED, f"Weighting stopped after {report.iterations} rounds without meeting "
            f"every target: the largest gap is {report.max_margin_error * 100:.2f} percentage "
            f"points ({worst.dimension} '{worst.category}'). The trimming limits may be too tight "
            "for this sample, or the targets cannot all be met together (e.g. empty cells): widen "
            "the limits or combine small categories.", worst.dimension, worst.category))
    if report.trimmed:
        out.append(WeightingIssue(k.TRIMMED, f"{report.trimmed} respondent(s) had their weight "
                                  "capped or floored by trimming.", count=report.trimmed))
    if report.design_effect > 2:
        out.append(WeightingIssue(
            k.LARGE_DESIGN_EFFECT, f"The design effect is {report.design_effect:.2f}: the "
            f"weighted results are as precise as {report.effective_sample_size:,.0f} unweighted "
            f"responses out of {report.respondents:,}."))
    return out
