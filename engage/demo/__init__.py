"""Demo data: each feature adds its loader to load_all; every loader is idempotent."""

from __future__ import annotations

from collections.abc import Iterator


def load_all() -> Iterator[str]:
    """Run each feature's demo loader in order, yielding a line of progress for each."""
    from engage.demo import builder, group_sessions, mayor, surveys
    from engage.demo import consultations as demo_consultations
    from engage.demo import insight as demo_insight
    from engage.demo import plan as demo_plan
    from engage.demo import priorities as demo_priorities
    from engage.demo import results as demo_results
    from engage.demo import themes as demo_themes
    from engage.demo import weighting as weighting_demo

    yield from surveys.load()
    yield from demo_results.load()
    yield from mayor.load()
    yield from builder.load()
    yield from group_sessions.load()
    yield from weighting_demo.load()
    yield from demo_themes.load()
    yield from demo_priorities.load()
    yield from demo_plan.load()
    yield from demo_insight.load()
    yield from demo_consultations.load()
