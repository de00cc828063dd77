"""Logistic regression on a sparse block beside a dense block, fitted with L-BFGS.

The same objective as scikit-learn's ``LogisticRegression`` (``C`` times the weighted log loss
plus half the squared weights; the intercept is not penalised), but the features stay in two
blocks: the sparse TF-IDF rows and the dense sentence vectors. scikit-learn needs one matrix, and
384 dense columns stored sparse made every pass several times slower; here the dense block goes
through BLAS. ``multi_label=False``: softmax over the classes (exactly one per row);
``multi_label=True``: one independent sigmoid per class (the losses summed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import minimize

# Corrections L-BFGS keeps (scipy's default is 10). Each costs a pass over all the weights per
# iteration, and with about a million weights (20,000 texts, 85 codes) those passes are most of
# the fit; 5 took as many iterations there for about a quarter less CPU time
# (docs/benchmarks-analysis.md, "Issues 16 and 22: measurements left").
MEMORY = 5


def _scores(
    x: sp.csr_matrix, z: NDArray[np.float64], wx: NDArray[np.float64],
    wz: NDArray[np.float64], b: NDArray[np.float64],
) -> NDArray[np.float64]:
    return np.asarray(x @ wx + z @ wz + b, dtype=np.float64)


def softmax(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax."""
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def sigmoid(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Element-wise logistic function."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * s)), dtype=np.float64)


@dataclass(frozen=True)
class _Objective:
    """The penalised, weighted log loss of one fit and its gradient, over all weights as one
    vector ``theta``: the sparse block's (dx × k), the dense block's (dz × k), the intercepts."""

    x: sp.csr_matrix
    xt: sp.csr_matrix
    z: NDArray[np.float64]
    y: NDArray[np.float64]
    sample_weight: NDArray[np.float64]
    c: float
    scale: float
    multi_label: bool

    @property
    def size(self) -> int:
        """The number of weights."""
        dx, dz, k = self.x.shape[1], self.z.shape[1], self.y.shape[1]
        return int((dx + dz) * k + k)

    def unpack(
        self, theta: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Views of ``theta`` as the sparse block's, the dense block's and the intercepts."""
        dx, dz, k = self.x.shape[1], self.z.shape[1], self.y.shape[1]
        wx = theta[: dx * k].reshape(dx, k)
        wz = theta[dx * k : (dx + dz) * k].reshape(dz, k)
        return wx, wz, theta[(dx + dz) * k :]

    def loss(self, theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """The objective at ``theta`` and its gradient."""
        x, z, y, sample_weight = self.x, self.z, self.y, self.sample_weight
        wx, wz, b = self.unpack(theta)
        s = _scores(x, z, wx, wz, b)
        if self.multi_label:
            p = sigmoid(s)
            # log(1 + e^s) - y s, stably.
            value = float((sample_weight * (np.logaddexp(0.0, s) - y * s)).sum())
        else:
            p = softmax(s)
            logp = s - s.max(axis=1, keepdims=True)
            logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
            value = float(-(sample_weight * y * logp).sum())
        g = self.c * sample_weight * (p - y)
        gx = np.asarray(self.xt @ g) + wx
        gz = z.T @ g + wz
        value = self.c * value + 0.5 * float((wx * wx).sum() + (wz * wz).sum())
        grad = np.concatenate([gx.ravel(), gz.ravel(), g.sum(axis=0)])
        return self.scale * value, self.scale * grad


class BlockLogistic:
    """Fitted weights ``wx`` (sparse block), ``wz`` (dense block) and intercepts ``b``."""

    wx_: NDArray[np.float64]
    wz_: NDArray[np.float64]
    b_: NDArray[np.float64]
    columns_: NDArray[np.int64]

    def __init__(
        self,
        C: float = 1.0,
        multi_label: bool = False,
        max_iter: int = 300,
        tol: float = 1e-4,
        memory: int = MEMORY,
    ) -> None:
        self.C = C
        self.multi_label = multi_label
        self.max_iter = max_iter
        self.tol = tol
        self.memory = memory

    def fit(
        self,
        x: sp.csr_matrix,
        z: NDArray[np.float64],
        y: NDArray[np.float64],
        sample_weight: NDArray[np.float64],
        *,
        init: BlockLogistic | None = None,
    ) -> BlockLogistic:
        """``y``: (rows, classes) 0/1 targets; ``sample_weight``: (rows, classes) or (rows, 1).

        ``init``: a fitted model of the same classes and dense width to start from (warm start:
        its weights for the columns both use, zero for new ones). The optimum is the same; it is
        reached in fewer iterations when little has changed.
        """
        # Columns no training row uses keep zero weights (only the penalty acts on them): they
        # are left out of the optimisation, which is then the same problem in fewer variables.
        x = sp.csr_matrix(x)
        self.columns_ = np.unique(x.indices)
        self.n_features_ = x.shape[1]
        x = sp.csr_matrix(x[:, self.columns_])
        # Divided by the rows' total weight, as scikit-learn does, so that ``tol`` means the same
        # whatever the number of rows.
        scale = 1.0 / max(float(sample_weight.sum()) / sample_weight.shape[1], 1e-12)
        objective = _Objective(
            x, sp.csr_matrix(x.T), z, y, sample_weight, self.C, scale, self.multi_label
        )
        result = minimize(
            objective.loss, self._start(objective, init), jac=True, method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol, "maxcor": self.memory},
        )
        wx, wz, b = objective.unpack(np.asarray(result.x, dtype=np.float64))
        self.wx_, self.wz_, self.b_ = wx, wz, b
        self.n_iter_ = int(result.nit)
        return self

    def _start(self, objective: _Objective, init: BlockLogistic | None) -> NDArray[np.float64]:
        """The weights to start from: zero, or ``init``'s where it has the same shape."""
        theta0 = np.zeros(objective.size)
        dz, k = objective.z.shape[1], objective.y.shape[1]
        if init is not None and init.wz_.shape == (dz, k):
            wx0, wz0, b0 = objective.unpack(theta0)  # views into theta0
            _, mine, theirs = np.intersect1d(
                self.columns_, init.columns_, assume_unique=True, return_indices=True
            )
            wx0[mine] = init.wx_[theirs]
            wz0[:] = init.wz_
            b0[:] = init.b_
        return theta0

    def predict_proba(self, x: sp.csr_matrix, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """Probabilities per row and class."""
        x = sp.csr_matrix(x)[:, self.columns_]
        s = np.asarray(x @ self.wx_ + z @ self.wz_ + self.b_, dtype=np.float64)
        return sigmoid(s) if self.multi_label else softmax(s)
