"""Where the insight exports and report read data owned by other features: weights (weighting),
themes (theme analysis), equity highlights and the Task and Finish shortlist (priority board),
and the borough's population. Each returns nothing until that feature has data, so exports and
the report work before those features exist and pick them up when they do."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Survey, Theme, ThemeQuote
from engage.services import weighting
from engage.services.themes import equity, publication
from engage.services.themes import runs as theme_runs
from surveys.weighting import Population, illustrative_population


@dataclass(frozen=True)
class ThemeColumns:
    """Free-text themes as extra columns: headers, and each response's cells in that order."""

    headers: list[str]
    cells: dict[int, list[str]]


@dataclass(frozen=True)
class ThemeSummary:
    """An approved theme: name, description, distinct people whose text is in it, quotes."""

    name: str
    description: str
    size: int
    quotes: list[str] = field(default_factory=list)


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
        raise LookupError(survey_id)
    return found


def response_weights(survey_id: int) -> dict[int, float]:
    """Weight per response id from the survey's current weighting run ({} until one exists)."""
    run = weighting.latest_run(_survey(survey_id))
    return weighting.run_weights(run) if run is not None else {}


def _survey_theme_texts(survey_id: int, published: bool = False,
                        ) -> tuple[dict[int, Theme], list[tuple[int, str]]]:
    """Active themes that have this survey's texts, and (theme id, respondent) for each of the
    survey's themed texts: of the current run, or (``published``) only the approved themes of
    the run published for this survey (S24; see ``themes.publication``)."""
    run = publication.published_run(survey_id) if published else theme_runs.current_run()
    if run is None:
        return {}, []
    query = (select(RunText.theme_id, AnalysisText.respondent, AnalysisText.id)
             .join(AnalysisText, AnalysisText.id == RunText.text_id)
             .join(Theme, Theme.id == RunText.theme_id)
             .where(RunText.run_id == run.id, AnalysisText.survey_id == survey_id,
                    AnalysisText.source == "survey", Theme.active.is_(True)))
    if published:
        query = query.where(Theme.approved.is_(True))
    rows = db.session.execute(query).all()
    ids = {theme_id for theme_id, _, _ in rows}
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(ids)))}
    # A text without a known respondent counts as a person of its own.
    return themes, [(int(theme_id), str(who) or f"text:{text_id}")
                    for theme_id, who, text_id in rows if theme_id is not None]


def _people(rows: list[tuple[int, str]]) -> Counter[int]:
    """Distinct respondents per theme (a person with two texts in a theme counts once)."""
    return Counter(theme_id for theme_id, _ in set(rows))


def people_with_themes(survey_id: int) -> int:
    """Distinct respondents whose text is in an approved theme of the published run."""
    _themes, rows = _survey_theme_texts(survey_id, published=True)
    return len({who for _, who in rows})


def response_themes(survey_id: int) -> ThemeColumns:
    """A column per theme of the current analysis (1 when the response's free text was coded
    to it); none until an analysis has themed this survey's text."""
    themes, rows = _survey_theme_texts(survey_id)
    if not themes:
        return ThemeColumns([], {})
    order = sorted(themes.values(), key=lambda t: (-t.size, t.id))
    position = {t.id: i for i, t in enumerate(order)}
    cells: dict[int, list[str]] = {}
    for theme_id, respondent in rows:
        kind, _, rid = respondent.partition(":")
        if kind != "response" or not rid.isdigit():
            continue
        line = cells.setdefault(int(rid), [""] * len(order))
        line[position[theme_id]] = "1"
    return ThemeColumns([f"Theme: {t.label}" for t in order], cells)


def theme_summaries(survey_id: int, quotes: int = 3) -> list[ThemeSummary]:
    """Approved themes of the run published for this survey, most people first, each with the
    number of distinct people and up to `quotes` redacted quotes staff marked publishable
    ([] until an analyst has approved a theme with this survey's texts)."""
    themes, rows = _survey_theme_texts(survey_id, published=True)
    if not themes:
        return []
    sizes = _people(rows)
    found: dict[int, list[str]] = {}
    for theme_id, text in db.session.execute(
            select(ThemeQuote.theme_id, AnalysisText.redacted)
            .join(AnalysisText, AnalysisText.id == ThemeQuote.text_id)
            .where(ThemeQuote.theme_id.in_(list(themes)), AnalysisText.survey_id == survey_id,
                   ThemeQuote.publishable.is_(True))
            .order_by(ThemeQuote.theme_id, ThemeQuote.position)):
        found.setdefault(theme_id, []).append(str(text))
    order = sorted(themes.values(), key=lambda t: (-sizes[t.id], t.id))
    return [ThemeSummary(t.label, t.description, sizes[t.id], found.get(t.id, [])[:quotes])
            for t in order]


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
    """Where a group raised one of the survey's largest approved themes much more often than
    everyone else (the equity lens's flags, so never on too few texts); [] until a theme is
    approved."""
    found, rows = _survey_theme_texts(survey_id, published=True)
    sizes = _people(rows)
    lines = []
    for theme_id, _ in sizes.most_common(themes):
        theme = found[theme_id]
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
    from engage.services.priorities.shortlists import published_shortlists

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
