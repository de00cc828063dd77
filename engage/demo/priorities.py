"""Demo data for the priority board: a Task and Finish group chaired by the demo group member,
and a board open for scoring over the demo analysis (its largest themes approved, each with its
first quote marked publishable, as the demo analyst would, when no theme is approved yet). The
analyst names each theme in plain words before approving it, as a reviewer does: the engine's
labels are a starting point, not what the partnership publishes. Idempotent."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from engage.demo import phrases
from engage.extensions import db
from engage.models import AnalysisText, TaskGroup, ThemeMembership, ThemeQuote, User
from engage.services.decide.priorities import boards, groups

GROUP = "Demo Task and Finish group: Housing and health"
REMIT = ("Agree the three or four priorities on housing and health for the partnership plan, "
         "from what residents told us in the survey and at Ask the Mayor.")
BOARD = "Demo priority board"
CHAIR = "member@engage.example"
MEMBERS = ("officer@engage.example", "analyst@engage.example")
ANALYST = "analyst@engage.example"
APPROVE = 5
TOPIC_TITLES = {
    "housing": "Housing repairs and affordable homes",
    "crime": "Crime and antisocial behaviour",
    "cleanliness": "Clean streets and fly-tipping",
    "parks": "Parks and green spaces",
    "youth": "Things for young people to do",
    "cost_of_living": "Cost of living",
    "health": "GP appointments and health services",
    "transport": "Buses and transport",
    "air_quality": "Air quality",
    "cohesion": "Community and neighbours",
}
"""The plain name the demo analyst gives a theme about each demo topic."""


def _user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def _approve_demo_themes() -> Iterator[str]:
    """Approve the largest themes of the demo analysis, as the demo analyst would."""
    from engage.services.code.themes import edits, publication, runs, views

    latest = runs.current_run()
    analyst = _user(ANALYST)
    if latest is None or analyst is None:
        return
    rows = views.theme_list(latest, analyst)[:APPROVE]
    named: set[str] = set()
    for row in rows:
        title = _topic_title(row.theme.id)
        if title and title not in named:  # the analyst names the theme before approving it
            named.add(title)
            edits.rename(row.theme, analyst, title, _described(title))
        edits.set_approved(row.theme, analyst, True)
        quotes = publication_quotes(row.theme.id)
        if quotes:  # the analyst's pick of a quote the public may read
            publication.set_publishable(quotes[0], analyst, True)
    yield f"Priority board demo: approved the {len(rows)} largest themes of run {latest.id}."


def _topic_title(theme_id: int) -> str | None:
    """The demo topic most of a theme's texts are about (the phrase banks the demo answers were
    written from), by its plain name; None when no topic covers a quarter of its texts."""
    texts = [t.casefold() for t in db.session.scalars(
        select(AnalysisText.text).join(ThemeMembership, ThemeMembership.text_id == AnalysisText.id)
        .where(ThemeMembership.theme_id == theme_id).limit(400))]
    counts = {topic: sum(any(p.casefold() in t for p in phrases.SHORT[topic]) for t in texts)
              for topic in phrases.THEMES if topic in phrases.SHORT}
    topic, found = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))
    return TOPIC_TITLES.get(topic) if texts and found * 4 >= len(texts) else None


def _described(title: str) -> str:
    return f"What residents said about {title[0].lower() + title[1:]}."


def publication_quotes(theme_id: int) -> list[ThemeQuote]:
    """A theme's quotes in order."""
    return list(db.session.scalars(select(ThemeQuote).where(ThemeQuote.theme_id == theme_id)
                                   .order_by(ThemeQuote.position)))


def load() -> Iterator[str]:
    """Create the demo group (and its board when approved themes exist)."""
    from engage.forms.priorities import default_criteria

    chair = _user(CHAIR)
    admin = _user("admin@engage.example")
    if chair is None or admin is None:
        yield "Priority board demo: skipped (the demo staff accounts are missing)."
        return
    group = db.session.scalars(select(TaskGroup).where(TaskGroup.name == GROUP)).first()
    if group is None:
        ids = [u.id for u in (_user(e) for e in MEMBERS) if u is not None]
        group = groups.create_group(admin, GROUP, REMIT, chair.id, ids)
        yield f"Priority board demo: group created, chaired by {CHAIR}."
    if boards.boards_of(group):
        yield "Priority board demo: board already there."
        return
    runs = boards.scorable_runs()
    if not runs:
        yield from _approve_demo_themes()
        runs = boards.scorable_runs()
    if not runs:
        yield ("Priority board demo: no analysis with approved themes yet; approve themes, "
               "then start a board from the group's page.")
        return
    board = boards.create_board(group, admin, BOARD, [runs[0].id],
                                default_criteria())
    boards.open_scoring(board, admin)
    yield f"Priority board demo: board over run {runs[0].id}, open for scoring."
