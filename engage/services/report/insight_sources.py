"""Where the insight exports and report read data owned by other features: weights (weighting),
themes and codes (theme analysis and final codeframes, through engage.services.code.groupings),
equity highlights and the Task and Finish shortlist (priority board), and the borough's
population. Each returns nothing until that feature has data, so exports and the report work
before those features exist and pick them up when they do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, Survey, Theme, ThemeQuote
from engage.services.code import groupings, weighting
from engage.services.code.coding import final
from engage.services.code.groupings import Grouping
from engage.services.code.themes import equity, publication
from engage.services.code.themes import runs as theme_runs
from engage.services.code.weighting.profiles import data_version
from surveys.errors import NotFound
from surveys.weighting import Population, illustrative_population

T = TypeVar("T")


@dataclass(frozen=True)
class ThemeColumns:
    """Free-text themes and codes as extra columns: headers, each response's cells in that
    order, the kind of each column (``theme`` or ``code``) and its theme's or code's name."""

    headers: list[str]
    cells: dict[int, list[str]]
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeSummary:
    """An approved theme or a code of a final codeframe: name, description, distinct people
    whose text is in it (``size``), quotes, how many comments (texts), the weighted share of
    people (percent; None without weights) and ``kind`` (``theme`` or ``code``)."""

    name: str
    description: str
    size: int
    quotes: list[str] = field(default_factory=list)
    comments: int = 0
    weighted_percent: float | None = None
    kind: str = "theme"


@dataclass(frozen=True)
class Priority:
    """A priority on the Task and Finish shortlist: its name, what it covers, and why the group
    chose the shortlist (the chair's rationale, the same for every priority of one board)."""

    title: str
    description: str
    rationale: str


def _survey(survey_id: int) -> Survey:
    found = db.session.get(Survey, survey_id)
    if found is None:
        raise NotFound(survey_id)
    return found


def response_weights(survey_id: int) -> dict[int, float]:
    """Weight per response id from the survey's current weighting run ({} until one exists)."""
    run = weighting.latest_run(_survey(survey_id))
    return weighting.run_weights(run) if run is not None else {}


_CACHE_SIZE = 16


def _kept(name: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, kept per process under `key` (the last few keys of each kind)."""
    cache: dict[tuple[object, ...], T] = current_app.extensions.setdefault(name, {})
    found = cache.get(key)
    if found is None:
        found = compute()
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


def _themes_stamp(run_id: int) -> tuple[object, ...]:
    """What the run's theme rows depend on besides the texts themselves: each theme's state.
    Every edit that moves texts recounts the themes it touches and stamps their `updated_at`
    (`stats.refresh_stats`: merge, move, split, undo, erasure); renames and approvals change
    the label, description or flag read here."""
    return tuple(tuple(str(v) for v in row) for row in db.session.execute(
        select(Theme.id, Theme.active, Theme.approved, Theme.updated_at, Theme.size,
               Theme.label, Theme.description)
        .where(Theme.run_id == run_id).order_by(Theme.id)))


Found = tuple[dict[str, Grouping], list[groupings.Row], tuple[object, ...] | None]


def _survey_groupings(survey_id: int, published: bool = False) -> Found:
    """Themes and codes that have this survey's texts, and (grouping key, respondent, text id)
    for each of the survey's themed or coded texts, and a stamp that changes with them (None
    when codes are among them: a codeframe's coded texts are read each time). Themes: of the
    current run, or (``published``) only the approved themes of the run published for this
    survey (S24; see ``themes.publication``); a run's rows are kept per process by its themes'
    stamp. Codes: of the newest codeframe an analyst marked final, never of one still being
    coded (see ``coding.final``)."""
    found: dict[str, Grouping] = {}
    rows: list[groupings.Row] = []
    stamp: tuple[object, ...] | None = ("none",)
    run = publication.published_run(survey_id) if published else theme_runs.current_run()
    if run is not None:
        stamp = (survey_id, published, run.id, _themes_stamp(run.id))
        found, rows = _kept("engage_report_theme_rows", stamp, lambda: groupings.theme_rows(
            run, survey_id, approved_only=published))
    frame = final.published_codeframe(survey_id)
    if frame is not None:
        codes, coded = groupings.code_rows(frame, survey_id)
        found, rows, stamp = {**found, **codes}, rows + coded, None
    return found, rows, stamp


def _count(rows: list[groupings.Row], stamp: tuple[object, ...] | None, survey_id: int,
           weighted: bool) -> dict[str, groupings.Counts]:
    """`groupings.count` of the rows (with the survey's current weights when `weighted`), kept
    per process by the rows' stamp (and the weighting run and data version when weighted)."""
    if stamp is None:
        return groupings.count(rows, response_weights(survey_id) if weighted else None)
    key: tuple[object, ...] = (stamp, weighted)
    if weighted:
        run = weighting.latest_run(_survey(survey_id))
        key += ((run.id, str(run.completed_at)) if run is not None else None,
                data_version(survey_id))
    return _kept("engage_report_theme_counts", key, lambda: groupings.count(
        rows, response_weights(survey_id) if weighted else None))


def people_with_themes(survey_id: int) -> int:
    """Distinct respondents whose text is in an approved theme of the published run or coded
    in a final codeframe."""
    _found, rows, _stamp = _survey_groupings(survey_id, published=True)
    return len({who for _, who, _ in rows})


def response_themes(survey_id: int) -> ThemeColumns:
    """A column per theme of the current analysis and per code of the final codeframe (1 when
    the response's free text was themed or coded to it); none until then."""
    found, rows, stamp = _survey_groupings(survey_id)
    if not found:
        return ThemeColumns([], {})
    sizes = _count(rows, stamp, survey_id, weighted=False)
    order = sorted(found.values(), key=lambda g: (g.kind != "theme", -sizes[g.key].comments,
                                                  g.id))
    position = {g.key: i for i, g in enumerate(order)}
    cells: dict[int, list[str]] = {}
    for key, respondent, _text in rows:
        kind, _, rid = respondent.partition(":")
        if kind != "response" or not rid.isdigit():
            continue
        line = cells.setdefault(int(rid), [""] * len(order))
        line[position[key]] = "1"
    return ThemeColumns([f"{'Theme' if g.kind == 'theme' else 'Code'}: {g.label}"
                         for g in order], cells, [g.kind for g in order],
                        [g.label for g in order])


def theme_summaries(survey_id: int, quotes: int = 3) -> list[ThemeSummary]:
    """Approved themes of the run published for this survey and codes of its final codeframe,
    most people first, each with the number of distinct people, comments, the weighted share
    where weights exist, and (themes) up to `quotes` redacted quotes staff marked publishable
    ([] until an analyst has approved a theme or marked a codeframe final)."""
    found, rows, stamp = _survey_groupings(survey_id, published=True)
    if not found:
        return []
    sizes = _count(rows, stamp, survey_id, weighted=True)
    theme_ids = [g.id for g in found.values() if g.kind == "theme"]
    said: dict[int, list[str]] = {}
    if theme_ids and quotes:
        for theme_id, text in db.session.execute(
                select(ThemeQuote.theme_id, AnalysisText.redacted)
                .join(AnalysisText, AnalysisText.id == ThemeQuote.text_id)
                .where(ThemeQuote.theme_id.in_(theme_ids), AnalysisText.survey_id == survey_id,
                       ThemeQuote.publishable.is_(True))
                .order_by(ThemeQuote.theme_id, ThemeQuote.position)):
            said.setdefault(theme_id, []).append(str(text))
    order = sorted(found.values(), key=lambda g: (-sizes[g.key].people, g.kind, g.id))
    return [ThemeSummary(g.label, g.description, sizes[g.key].people,
                         said.get(g.id, [])[:quotes] if g.kind == "theme" else [],
                         sizes[g.key].comments, sizes[g.key].weighted_percent, g.kind)
            for g in order]


@dataclass(frozen=True)
class EquityHighlight:
    """A group that raised a theme much more often than everyone else (an equity lens flag).
    ``dimension`` and ``group`` are codes: the page names them in the reader's language."""

    dimension: str
    group: str
    theme: str
    percent: float
    ratio: float
    base: int


def equity_highlights(survey_id: int, themes: int = 5) -> list[EquityHighlight]:
    """Where a group raised one of the survey's largest approved themes or final codes much
    more often than everyone else (the equity lens's flags, so never on too few texts); [] until
    a theme is approved or a codeframe marked final."""
    found, rows, stamp = _survey_groupings(survey_id, published=True)
    sizes = Counter({key: c.people
                     for key, c in _count(rows, stamp, survey_id, weighted=False).items()})
    lines = []
    for key, _ in sizes.most_common(themes):
        theme = found[key]
        view = equity.lens(theme)
        for dimension in view.dimensions:
            for cell in dimension.cells:
                if cell.flagged and cell.rate is not None and cell.ratio is not None:
                    lines.append(EquityHighlight(dimension.name, cell.group, theme.label,
                                                 round(100 * cell.rate), round(cell.ratio, 1),
                                                 cell.base))
    return lines


def shortlist(survey_id: int) -> list[Priority]:
    """The newest locked Task and Finish shortlist drawing on this survey's free text, in rank
    order ([] until a board using the survey's texts is locked)."""
    from engage.services.decide.priorities.shortlists import published_shortlists

    found = published_shortlists(survey_id=survey_id)
    if not found:
        return []
    newest = found[0]
    return [Priority(title=p.label, description=p.description, rationale=newest.rationale)
            for p in newest.priorities]


def population(survey_id: int) -> tuple[Population, bool]:
    """The survey's population targets (the bundled illustrative one when none was uploaded),
    and whether they are illustrative."""
    current = weighting.current_population(_survey(survey_id))
    if current is None:
        return illustrative_population(), True
    target, found = current
    return found, bool(target.illustrative)
