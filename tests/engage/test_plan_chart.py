"""The geometry of an indicator's chart (pure)."""

from __future__ import annotations

from datetime import date

from engage.services.decide.plan import chart


def test_points_fall_inside_the_plot_and_in_order() -> None:
    c = chart.build((date(2023, 4, 1), 48.0), (date(2028, 3, 31), 75.0),
                    [(date(2024, 1, 1), 52.0), (date(2025, 1, 1), 58.0), (date(2026, 1, 1), 61.0)])
    assert c.baseline.x == chart.LEFT and c.target.x == chart.WIDTH - chart.RIGHT
    for p in (c.baseline, c.target, *c.points):
        assert c.plot_left <= p.x <= c.plot_right and c.plot_top <= p.y <= c.plot_bottom
    assert [p.x for p in c.points] == sorted(p.x for p in c.points)
    assert c.target.y < c.baseline.y  # higher values are drawn higher
    assert [v for v, _y in c.y_ticks] == [50, 60, 70]
    assert [y for y, _x in c.x_ticks] == [2024, 2025, 2026, 2027, 2028]
    assert c.path.startswith("M ") and c.path.count("L") == 2


def test_updates_after_the_target_date_stretch_the_axis_and_flat_lines_work() -> None:
    c = chart.build((date(2024, 1, 1), 5.0), (date(2025, 1, 1), 5.0), [(date(2026, 1, 1), 5.0)])
    assert c.points[0].x == chart.WIDTH - chart.RIGHT
    assert c.target.x < c.points[0].x
    assert len(c.y_ticks) >= 2
