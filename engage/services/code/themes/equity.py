"""The equity lens: how often each group raises a theme (or a code: engage.services.code.groupings),
against the overall rate.

For each dimension (ward, age band, sex, ethnicity, disability, channel, language) and each group
in it: the base (texts from that group in the run), how many are in the theme, the rate, the
difference from the overall rate in percentage points, and a flag where the group raises the
theme much more than others: rate at least 1.5 times the rest's, at least 5 points above it, and
a two-proportion z-test with |z| >= 1.96. Groups with a base under RESULTS_MIN_COUNT texts
(results_policy.min_count, default 10) are suppressed (no count or rate shown) so small groups
cannot be picked out.

A difference is highlighted (coloured in the heat map, or flagged) only where it rests on enough
texts: the group has at least ``HIGHLIGHT_MIN_TEXTS`` texts in the theme, or would have at
everyone else's rate. So "6 texts against 0" is shown as figures, never as a finding; the page
states the rule.

Language-split themes: when the run holds texts in two or more languages but nearly all of a
theme's texts (``SPLIT_SHARE``) are in one of them, the analysis grouped the texts by language
(the same topic in another language is usually its own theme). A language "difference" for such
a theme is an artefact, so no language is flagged and the page says why; analysts can link the
two themes by merging them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AnalysisText, Theme
from engage.services.code import groupings
from engage.services.code.groupings import Grouping
from engage.services.code.themes.sources import DEMOGRAPHICS
from engage.services.platform import results_policy
from surveys import localise
from surveys.builtins import default_wards, demographics_data

DIMENSIONS: tuple[str, ...] = ("ward", "age_band", "sex", "ethnicity", "disability", "channel",
                               "language")
FLAG_RATIO = 1.5
FLAG_POINTS = 0.05
FLAG_Z = 1.96
SPLIT_SHARE = 0.9  # a theme with this share of its texts in one language is language-split
HIGHLIGHT_MIN_TEXTS = 10  # texts in the theme (found or expected) before any highlight


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
    highlight: bool = True
    """False when too few texts are behind the difference to colour or flag it."""

    @property
    def heat(self) -> int:
        """0 (much lower) to 4 (much higher) for the heat-map colour; 2 is about the same (and
        for every difference resting on too few texts)."""
        if self.ratio is None or not self.highlight:
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
    """A theme's equity lens; ``language_split`` is the one language of a language-split theme."""

    overall_rate: float
    total: int
    size: int
    dimensions: list[Dimension]
    language_split: str | None = None


def _split_language(bases: dict[str, int], counts: Counter[str]) -> str | None:
    """The language nearly all of a theme's texts are in, when the run has several languages
    (each with at least RESULTS_MIN_COUNT texts) and that language is not nearly all of the run."""
    if sum(1 for n in bases.values() if n >= results_policy.min_count()) < 2 or not counts:
        return None
    language, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    known_in, known = sum(counts.values()), sum(bases.values())
    if n >= SPLIT_SHARE * known_in and bases.get(language, 0) < SPLIT_SHARE * known:
        return language
    return None


def language_split(item: Theme | Grouping) -> str | None:
    """The one language of this theme's texts when it is language-split, else None."""
    grouping = _grouping(item)
    _total, bases = _bases(grouping)
    _size, counts = _counts(grouping)
    return _split_language(bases["language"], counts["language"])


def _z(c1: int, n1: int, c2: int, n2: int) -> float:
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (c1 + c2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    return 0.0 if var <= 0 else (c1 / n1 - c2 / n2) / math.sqrt(var)


UNKNOWN = (None, "", "prefer-not-to-say")
_CACHE_SIZE = 16


def _column(dim: str) -> Any:
    if dim in ("ward", "channel", "language"):
        return getattr(AnalysisText, dim)
    return AnalysisText.attributes[dim].as_string()


def _bases(grouping: Grouping) -> tuple[int, dict[str, dict[str, int]]]:
    """Texts the grouping is compared against by group of each dimension. A run's texts change
    after it finishes only by erasure (edits move texts between themes), so a theme's are kept
    per process while the run's count of texts stays the same (an index-only count); a
    codeframe's coded texts change as people code, so a code's are read each time."""
    cache: dict[tuple[int, int], tuple[int, dict[str, dict[str, int]]]] = (
        current_app.extensions.setdefault("engage_equity_bases", {}))
    ids = groupings.base_ids(grouping).subquery()
    total = int(db.session.scalar(select(func.count()).select_from(ids)) or 0)
    cached = grouping.kind == "theme"
    key = (grouping.scope_id, total)
    found = cache.get(key) if cached else None
    if found is not None:
        return found
    bases: dict[str, dict[str, int]] = {}
    for dim in DIMENSIONS:
        column = _column(dim)
        grouped = db.session.execute(
            select(column, func.count()).select_from(AnalysisText)
            .where(AnalysisText.id.in_(select(ids.c[0]))).group_by(column)).all()
        bases[dim] = {str(v): int(n) for v, n in grouped if v not in UNKNOWN}
    if cached:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = (total, bases)
    return total, bases


def _counts(grouping: Grouping) -> tuple[int, dict[str, Counter[str]]]:
    """The grouping's texts by group of each dimension. A theme's are kept per process until
    its texts change: every edit that moves texts in or out of a theme (merge, move, split,
    undo, erasure) recounts it (`stats.refresh_stats`), which stamps its `updated_at`; a code's
    are read each time, as its bases are."""
    if grouping.kind != "theme":
        return _read_counts(grouping)
    stamp = db.session.execute(select(Theme.updated_at, Theme.size, Theme.run_id)
                               .where(Theme.id == grouping.id)).first()
    key = (grouping.id, grouping.scope_id, tuple(stamp) if stamp is not None else None)
    cache: dict[tuple[object, ...], tuple[int, dict[str, Counter[str]]]] = (
        current_app.extensions.setdefault("engage_equity_counts", {}))
    found = cache.get(key)
    if found is None:
        found = _read_counts(grouping)
        if len(cache) >= 4 * _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


def _read_counts(grouping: Grouping) -> tuple[int, dict[str, Counter[str]]]:
    """The grouping's texts by group of each dimension (one query over its texts)."""
    counts: dict[str, Counter[str]] = {dim: Counter() for dim in DIMENSIONS}
    size = 0
    for ward, channel, language, attributes in db.session.execute(
            select(AnalysisText.ward, AnalysisText.channel, AnalysisText.language,
                   AnalysisText.attributes)
            .where(AnalysisText.id.in_(groupings.member_ids(grouping)))):
        size += 1
        values = {"ward": ward, "channel": channel, "language": language}
        attrs = attributes or {}
        for dim in DIMENSIONS:
            value = values[dim] if dim in values else attrs.get(dim)
            if value not in UNKNOWN:
                counts[dim][str(value)] += 1
    return size, counts


def _grouping(item: Theme | Grouping) -> Grouping:
    return item if isinstance(item, Grouping) else groupings.of_theme(item)


def lens(item: Theme | Grouping) -> Lens:
    """The equity lens of a theme over its run's texts, or of a code over its codeframe's
    coded texts."""
    grouping = _grouping(item)
    total, bases = _bases(grouping)
    size, theme_counts = _counts(grouping)
    overall = size / total if total else 0.0
    split = _split_language(bases["language"], theme_counts["language"])
    dims: list[Dimension] = []
    least = results_policy.min_count()
    for dim in DIMENSIONS:
        group_bases = bases[dim]
        counts = theme_counts[dim]
        known = sum(group_bases.values())
        known_in = sum(counts.values())
        cells: list[Cell] = []
        for group in sorted(group_bases):
            base = group_bases[group]
            if base < least:
                cells.append(Cell(group, base, None, None, None, None, False, True))
                continue
            count = counts[group]
            rate = count / base
            rest_n, rest_c = known - base, known_in - count
            rest_rate = rest_c / rest_n if rest_n else None
            ratio = (rate / rest_rate if rest_rate else None) if rest_rate is not None else None
            expected = base * rest_rate if rest_rate is not None else 0.0
            highlight = max(count, expected) >= HIGHLIGHT_MIN_TEXTS
            flagged = bool(highlight and rest_rate is not None
                           and not (dim == "language" and split)
                           and rate >= FLAG_RATIO * rest_rate
                           and rate - rest_rate >= FLAG_POINTS
                           and _z(count, base, rest_c, rest_n) >= FLAG_Z)
            cells.append(Cell(group, base, count, rate, rate - overall, ratio, flagged, False,
                              highlight))
        if cells:
            dims.append(Dimension(dim, cells, known))
    return Lens(overall, total, size, dims, split)


def group_labels(language: str) -> dict[str, dict[str, str]]:
    """The names of the groups of each dimension in the language (English where missing):
    wards, and the demographics block's answers. Channels and languages are named by the page."""
    labels: dict[str, dict[str, str]] = {dim: {} for dim in DIMENSIONS}
    labels["ward"] = {w.id: localise(w.text, language, "en") for w in default_wards()}
    block = demographics_data()["questions"]
    for name, dim in DEMOGRAPHICS.items():  # the block's names, the lens's dimensions
        for option in block.get(name, {}).get("options", []):
            text = option.get("text", {})
            labels[dim][option["id"]] = text.get(language) or text.get("en") or option["id"]
    return labels
