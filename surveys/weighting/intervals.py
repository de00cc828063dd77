"""Kish's effective sample size and design effect, and Wilson intervals for weighted proportions."""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import NormalDist

import numpy as np
import numpy.typing as npt


def _array(weights: Iterable[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(list(weights) if not isinstance(weights, np.ndarray) else weights, float)


def effective_sample_size(weights: Iterable[float] | npt.NDArray[np.float64]) -> float:
    """Kish's effective sample size (Σw)² / Σw²; 0 for no (or all-zero) weights."""
    w = _array(weights)
    squares = float(np.dot(w, w))
    return float(w.sum()) ** 2 / squares if squares > 0 else 0.0


def design_effect(weights: Iterable[float] | npt.NDArray[np.float64]) -> float:
    """Kish's design effect of unequal weights, n Σw² / (Σw)² = 1 + CV²; 1 for no weights."""
    w = _array(weights)
    total = float(w.sum())
    return len(w) * float(np.dot(w, w)) / total**2 if total > 0 else 1.0


def z_value(confidence: float = 0.95) -> float:
    """The two-sided standard normal quantile for a confidence level (1.96 for 0.95)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(p: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion p from n (an effective size may be fractional).

    For weighted data pass n = Kish's effective sample size (n / design effect): this widens the
    interval by the design effect (Kish 1965; Korn and Graubard 1998 use the same n_eff).
    With n <= 0 nothing is known and the interval is (0, 1).
    """
    if n <= 0 or math.isnan(p):
        return (0.0, 1.0)
    p = min(max(p, 0.0), 1.0)
    z = z_value(confidence)
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    low = 0.0 if p == 0 else max(0.0, centre - half)
    high = 1.0 if p == 1 else min(1.0, centre + half)
    return (low, high)
