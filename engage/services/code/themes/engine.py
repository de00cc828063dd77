"""The theme engine's settings from the app's configuration: one place for runs and splits."""

from __future__ import annotations

from typing import Any

from flask import current_app


def engine_options() -> dict[str, Any]:
    """Keyword arguments for :class:`analysis.ThemeModel` that the deployment decides.

    ``THEMES_N_JOBS``: processes for one run; ``THEMES_VECTORS``: the text vectors (``auto``
    chooses by language and size, see analysis/vectors.py; ``cooccurrence`` never loads a
    sentence model).
    """
    return {"n_jobs": int(current_app.config.get("THEMES_N_JOBS", 1)),
            "embedding": str(current_app.config.get("THEMES_VECTORS", "auto"))}
