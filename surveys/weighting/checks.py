"""Checks of raking input: targets, respondents' categories and settings, explained in words."""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from surveys.weighting import issues as k
from surveys.weighting.issues import WeightingIssue

Profiles = Mapping[str, Mapping[str, object]]
"""Response id → profile ({"ward": "bow-east", "age": "25-34", "sex": None, ...})."""
Targets = Mapping[str, Mapping[str, float]]
"""Dimension → category → target share or count (normalised per dimension)."""


@dataclass(frozen=True)
class Checked:
    """Targets as shares, and each respondent's category per dimension (None: missing), in
    the order of the profiles."""

    shares: dict[str, dict[str, float]]
    columns: dict[str, list[str | None]]
    problems: list[WeightingIssue]
    warnings: list[WeightingIssue]


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def check_targets(targets: Targets) -> tuple[dict[str, dict[str, float]], list[WeightingIssue]]:
    """Targets normalised to shares per dimension, and the problems found in them."""
    problems: list[WeightingIssue] = []
    shares: dict[str, dict[str, float]] = {}
    if not targets:
        problems.append(WeightingIssue(k.NO_TARGETS, "There are no targets to weight to. "
                                       "Give at least one dimension, e.g. ward, age or sex."))
    for dim, cats in targets.items():
        if not cats:
            problems.append(WeightingIssue(k.NO_TARGETS, f"The {dim} targets have no categories.",
                                           dimension=dim))
            continue
        clean: dict[str, float] = {}
        for cat, raw in cats.items():
            ok = isinstance(raw, int | float) and not isinstance(raw, bool)
            value = float(raw) if ok else math.nan
            if not math.isfinite(value):
                problems.append(WeightingIssue(
                    k.INVALID_TARGET, f"The target for {dim} '{cat}' is {raw!r}, which is not a "
                    "number. Enter a share or a count of people.", dim, cat))
            elif value < 0:
                problems.append(WeightingIssue(
                    k.NEGATIVE_TARGET, f"The target for {dim} '{cat}' is {raw!r}. Targets must be "
                    "0 or more.", dim, cat))
            else:
                clean[cat] = value
        total = sum(clean.values())
        if len(clean) == len(cats) and total <= 0:
            problems.append(WeightingIssue(
                k.ZERO_TOTAL, f"Every {dim} target is 0, so there is nothing to weight to.", dim))
        elif len(clean) == len(cats):
            shares[dim] = {cat: value / total for cat, value in clean.items()}
    return shares, problems


def _category_problems(dim: str, share: Mapping[str, float], seen: Counter[str | None],
                       unknown: Counter[str]) -> list[WeightingIssue]:
    out: list[WeightingIssue] = []
    for value, count in sorted(unknown.items()):
        close = difflib.get_close_matches(value, list(share), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        out.append(WeightingIssue(
            k.UNKNOWN_CATEGORY, f"{count} respondent(s) have {dim} '{value}', which is not one of "
            f"the {dim} targets ({', '.join(share)}).{hint} Make the category names match.",
            dim, value, count))
    known = sum(seen[c] for c in share)
    if known == 0:
        out.append(WeightingIssue(
            k.ALL_MISSING, f"No respondent has a known {dim}, so the {dim} targets cannot be "
            f"used. Remove the {dim} dimension.", dim, count=0))
        return out
    for cat, target in share.items():
        if target > 0 and seen[cat] == 0:
            out.append(WeightingIssue(
                k.EMPTY_CATEGORY, f"No respondents are in {dim} '{cat}' (target {_pct(target)}). "
                "Weighting cannot give weight to a group nobody in the sample belongs to: combine "
                "it with a neighbouring category, or collect more responses there.", dim, cat, 0))
        elif target == 0 and seen[cat] > 0:
            out.append(WeightingIssue(
                k.ZERO_TARGET, f"The target for {dim} '{cat}' is 0, but {seen[cat]} respondent(s) "
                "are in it: they would need a weight of 0. Check the target, or combine the "
                "category with another.", dim, cat, seen[cat]))
    return out


def _category_warnings(dim: str, share: Mapping[str, float], seen: Counter[str | None],
                       missing: int, sparse: int) -> list[WeightingIssue]:
    out: list[WeightingIssue] = []
    if missing:
        out.append(WeightingIssue(
            k.MISSING_VALUES, f"{missing} respondent(s) did not give their {dim} (or preferred "
            f"not to say). Their weights are not adjusted for {dim}; the {dim} targets are met "
            f"among those who gave it.", dim, count=missing))
    for cat, target in share.items():
        if target == 0 and seen[cat] == 0:
            out.append(WeightingIssue(
                k.UNUSED_CATEGORY, f"{dim} '{cat}' has a target of 0 and no respondents; it is "
                "ignored.", dim, cat, 0))
        elif 0 < seen[cat] < sparse:
            out.append(WeightingIssue(
                k.SPARSE_CATEGORY, f"Only {seen[cat]} respondent(s) are in {dim} '{cat}' (target "
                f"{_pct(target)}): their weights may be large and the results uncertain.",
                dim, cat, seen[cat]))
    return out


def _normalise(raw: object, missing_values: Collection[str]) -> str | None:
    if raw is None or raw == "" or (isinstance(raw, str) and raw in missing_values):
        return None
    return raw if isinstance(raw, str) else repr(raw)


def _column(profiles: Profiles, dim: str, missing_values: Collection[str]) -> list[str | None]:
    """Every respondent's category for one dimension, normalising each distinct value once."""
    raw = [profile.get(dim) for profile in profiles.values()]
    try:
        lookup = {value: _normalise(value, missing_values) for value in set(raw)}
    except TypeError:  # an unhashable value (e.g. a list): take the slow path
        return [_normalise(value, missing_values) for value in raw]
    return [lookup[value] for value in raw]


def check_input(profiles: Profiles, targets: Targets, missing_values: Collection[str],
                sparse: int = 5) -> Checked:
    """Check targets and respondents' categories; every problem found, not just the first."""
    shares, problems = check_targets(targets)
    warnings: list[WeightingIssue] = []
    if not profiles:
        problems.append(WeightingIssue(k.NO_RESPONDENTS, "There are no complete responses to "
                                       "weight."))
    columns: dict[str, list[str | None]] = {}
    for dim, share in shares.items():
        column = columns[dim] = _column(profiles, dim, missing_values)
        counts = Counter(column)
        seen: Counter[str | None] = Counter({c: n for c, n in counts.items() if c in share})
        unknown: Counter[str] = Counter(
            {c: n for c, n in counts.items() if c is not None and c not in share})
        if profiles:
            problems.extend(_category_problems(dim, share, seen, unknown))
            warnings.extend(_category_warnings(dim, share, seen, counts[None], sparse))
    return Checked(shares, columns, problems, warnings)


def totals_warning(targets: Targets) -> WeightingIssue | None:
    """A warning when count targets of different dimensions describe different totals."""
    totals = {}
    for dim, cats in targets.items():
        numbers = [v for v in cats.values() if isinstance(v, int | float) and math.isfinite(v)]
        totals[dim] = float(sum(numbers))
    values = [v for v in totals.values() if v > 0]
    if len(values) < 2 or max(values) <= min(values) * 1.01:
        return None
    listed = ", ".join(f"{dim} {total:,.6g}" for dim, total in totals.items())
    return WeightingIssue(k.INCONSISTENT_TOTALS, "The targets add up to different totals "
                          f"({listed}). Each dimension is used as shares of its own total; "
                          "check that they describe the same population.")
