"""Completed responses over time by channel, for the chart on the staff survey list.

One query for every survey on the page, over the counts of sent responses per survey, UTC
calendar day and channel that the database keeps (``sent_counts``, migration 0023).
Fieldwork longer than ten weeks is shown per week (weeks start on Monday). Only sent
(``submitted``) responses count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from engage.extensions import db
from engage.models import SentCount, Survey

WEEKLY_AFTER_DAYS = 70
"""Fieldwork spanning more days than this is grouped by week."""
CHANNEL_ORDER = ("online", "face_to_face", "phone", "paper", "import", "group_session")
# Colours with 3:1 or more against white (WCAG 2.2 non-text contrast) and a distinct line
# pattern each, so the channels are never told apart by colour alone.
STYLES = {
    "online": ("#1d70b8", ""),
    "face_to_face": ("#ca3535", "8 4"),
    "phone": ("#0f7a52", "2 3"),
    "paper": ("#54319f", "10 3 2 3"),
    "import": ("#505a5f", "14 6"),
    "group_session": ("#0b0c0c", "4 2 4 6"),
}
LEFT, RIGHT, TOP, BOTTOM = 40.0, 312.0, 12.0, 160.0


@dataclass(frozen=True)
class Series:
    """One channel's line: its counts per period and its SVG geometry."""

    channel: str
    counts: tuple[int, ...]
    total: int
    share: int
    """Percent of all completed responses, rounded."""
    colour: str
    dash: str
    points: str
    """SVG polyline points."""


@dataclass(frozen=True)
class Timeline:
    """Completed responses per day (or week) by channel for one survey."""

    unit: str
    """"day" or "week" (a week is named by its Monday)."""
    periods: tuple[dt.date, ...]
    totals: tuple[int, ...]
    series: tuple[Series, ...]
    total: int
    peak: dt.date
    peak_count: int
    y_ticks: tuple[tuple[int, float], ...]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite returns "YYYY-MM-DD"


def daily_counts(slugs: Iterable[str]) -> dict[str, dict[tuple[dt.date, str], int]]:
    """{slug: {(day, channel): completed responses}} in one grouped query."""
    wanted = list(slugs)
    if not wanted:
        return {}
    # The counts the database keeps per survey, UTC day and channel (migration 0023).
    rows = db.session.execute(
        select(Survey.slug, SentCount.day, SentCount.channel, SentCount.n)
        .join(Survey, Survey.id == SentCount.survey_id)
        .where(Survey.slug.in_(wanted), SentCount.n > 0)).all()
    found: dict[str, dict[tuple[dt.date, str], int]] = {}
    for slug, when, channel, n in rows:
        cells = found.setdefault(slug, {})
        key = (_as_date(when), channel)
        cells[key] = cells.get(key, 0) + int(n)
    return found


def _nice_top(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak <= step * 4:
            return step * 4
    return peak


def _periods(days: Iterable[dt.date]) -> tuple[str, list[dt.date]]:
    found = sorted(set(days))
    first, last = found[0], found[-1]
    if (last - first).days > WEEKLY_AFTER_DAYS:
        start = first - dt.timedelta(days=first.weekday())
        step, unit = 7, "week"
    else:
        start, step, unit = first, 1, "day"
    periods = []
    while start <= last:
        periods.append(start)
        start += dt.timedelta(days=step)
    return unit, periods


def timeline(cells: dict[tuple[dt.date, str], int]) -> Timeline | None:
    """The chart of one survey's counts (None when it has no completed responses)."""
    if not cells:
        return None
    unit, periods = _periods(day for day, _ in cells)
    index = {p: i for i, p in enumerate(periods)}
    per_channel: dict[str, list[int]] = {}
    for (day, channel), n in cells.items():
        bucket = day - dt.timedelta(days=day.weekday()) if unit == "week" else day
        counts = per_channel.setdefault(channel, [0] * len(periods))
        counts[index[bucket]] += n
    totals = tuple(sum(c[i] for c in per_channel.values()) for i in range(len(periods)))
    total = sum(totals)
    top = _nice_top(max(max(c) for c in per_channel.values()))
    peak_index = max(range(len(periods)), key=lambda i: (totals[i], -i))

    def x(i: int) -> float:
        if len(periods) == 1:
            return (LEFT + RIGHT) / 2
        return round(LEFT + (RIGHT - LEFT) * i / (len(periods) - 1), 1)

    def y(n: int) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * n / top, 1)

    order = sorted(per_channel, key=lambda c: (CHANNEL_ORDER.index(c)
                                               if c in CHANNEL_ORDER else 99, c))
    series = []
    for channel in order:
        counts = per_channel[channel]
        colour, dash = STYLES.get(channel, ("#0b0c0c", "1 2"))
        series.append(Series(
            channel=channel, counts=tuple(counts), total=sum(counts),
            share=round(100 * sum(counts) / total), colour=colour, dash=dash,
            points=" ".join(f"{x(i)},{y(n)}" for i, n in enumerate(counts))))
    ticks = tuple((v, y(v)) for v in range(0, top + 1, top // 4))
    return Timeline(unit=unit, periods=tuple(periods), totals=totals, series=tuple(series),
                    total=total, peak=periods[peak_index], peak_count=totals[peak_index],
                    y_ticks=ticks)


def timelines(slugs: Iterable[str]) -> dict[str, Timeline]:
    """{slug: Timeline} for the surveys with completed responses."""
    found = {}
    for slug, cells in daily_counts(slugs).items():
        chart = timeline(cells)
        if chart is not None:
            found[slug] = chart
    return found
