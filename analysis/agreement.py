"""Agreement between two coders: Cohen's kappa and Krippendorff's alpha (nominal), per code
and overall.

Pure functions over plain values. With multi-label coding, each code is a yes/no decision per
text: per-code agreement compares those decisions; the overall figure pools every (text, code)
decision into one set of units (a code missing from both coders counts as agreement that it
does not apply). Both statistics are ``None`` where they are undefined (no variation at all).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["CodeAgreement", "agreement_by_code", "cohen_kappa", "krippendorff_alpha"]

T = TypeVar("T", bound=Hashable)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units (None when undefined)."""
    if len(first) != len(second):
        raise ValueError("both coders must label the same units")
    n = len(first)
    if n == 0:
        return None
    observed = sum(1 for a, b in zip(first, second, strict=True) if a == b) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal) over units, each the values its coders gave (None: missing).

    Units with fewer than two values are not pairable and are left out. None when there is no
    variation in the pairable values (expected disagreement zero).
    """
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[(a, b)] += 1.0 / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (a, _b), weight in coincidence.items():
        totals[a] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (a, b), w in coincidence.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code (or overall): units compared, how many agreed, kappa and alpha."""

    code: Hashable
    units: int
    agreed: int
    first_yes: int
    second_yes: int
    kappa: float | None
    alpha: float | None

    @property
    def percent_agreed(self) -> float | None:
        """Share of units where both coders made the same decision."""
        return self.agreed / self.units if self.units else None


def _decisions(code: Hashable, texts: Sequence[T], coding: Mapping[T, Set[Hashable]]
               ) -> list[bool]:
    return [code in coding[t] for t in texts]


def _summary(code: Hashable, a: list[bool], b: list[bool]) -> CodeAgreement:
    return CodeAgreement(
        code=code, units=len(a), agreed=sum(1 for x, y in zip(a, b, strict=True) if x == y),
        first_yes=sum(a), second_yes=sum(b), kappa=cohen_kappa(a, b),
        alpha=krippendorff_alpha([[x, y] for x, y in zip(a, b, strict=True)]))


def agreement_by_code(codes: Sequence[Hashable], first: Mapping[T, Set[Hashable]],
                      second: Mapping[T, Set[Hashable]]
                      ) -> tuple[list[CodeAgreement], CodeAgreement]:
    """Per-code agreement over the texts both coders coded, and the pooled overall figure.

    ``first`` and ``second`` map a text to the set of codes each coder gave it.
    """
    texts = sorted((t for t in first if t in second), key=repr)
    per_code: list[CodeAgreement] = []
    pooled_a: list[bool] = []
    pooled_b: list[bool] = []
    for code in codes:
        a, b = _decisions(code, texts, first), _decisions(code, texts, second)
        per_code.append(_summary(code, a, b))
        pooled_a += a
        pooled_b += b
    return per_code, _summary("overall", pooled_a, pooled_b)
