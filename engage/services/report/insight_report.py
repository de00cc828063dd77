"""The insight report for one survey: who took part against the borough, headline results,
themes, equity highlights, the shortlist, and methods and caveats; charts as inline SVG."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from analysis.redact import redact
from engage.extensions import db
from engage.models import Response, User
from engage.services.code.themes import equity
from engage.services.code.weighting.profiles import data_version
from engage.services.code.weighting.runs import latest_run
from engage.services.code.weighting.tallies import GroupedAnswers
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction
from engage.services.report import charts, export_rows, headline_results, insight_sources
from surveys import types as t

DIMENSIONS = (("ward", "Ward"), ("age", "Age"), ("sex", "Sex"))


@dataclass(frozen=True)
class ShareRow:
    """One category: people who took part (None: suppressed), their share and the borough's."""

    label: str
    count: int | None
    sample_percent: float | None
    borough_percent: float


@dataclass(frozen=True)
class Representation:
    """Who took part against the borough along one dimension, with its chart."""

    key: str
    name: str
    rows: list[ShareRow]
    known: int
    chart: str


@dataclass(frozen=True)
class Headline:
    """A closed question's results as table rows, with its chart."""

    question_id: str
    wording: str
    base: int
    effective_base: float
    weighted: bool
    suppressed: str | None
    rows: list[list[object]]
    chart: str


@dataclass
class Report:
    """Everything the report page shows."""

    slug: str
    survey_id: int
    title: str
    responses: int
    by_channel: dict[str, int]
    by_language: dict[str, int]
    weighted: bool
    illustrative_population: bool
    min_count: int
    representation: list[Representation] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)
    themes: list[insight_sources.ThemeSummary] = field(default_factory=list)
    equity: list[insight_sources.EquityHighlight] = field(default_factory=list)
    shortlist: list[insight_sources.Priority] = field(default_factory=list)


def _labels(language: str) -> dict[str, dict[str, str]]:
    found = equity.group_labels(language)
    return {"ward": found["ward"], "age": found["age_band"], "sex": found["sex"]}


def _profile_questions(source: export_rows.Source) -> dict[str, str]:
    """The question id holding each profile dimension (as `respondent_profile` reads them)."""
    where: dict[str, str] = {}
    ward = next((q for q in source.definition.questions if q.type == t.WARD_POSTCODE), None)
    if ward is not None:
        where["ward"] = ward.id
    for dim in ("age", "sex"):
        found = source.definition.demographic_question(dim)
        if found is not None:
            where[dim] = found.id
    return where


def _profile_counts(source: export_rows.Source,
                    grouped: GroupedAnswers) -> dict[str, Counter[str]]:
    """Per dimension, how many responses gave each ward, age band and sex (as answered)."""
    counts: dict[str, Counter[str]] = {d: Counter() for d, _ in DIMENSIONS}
    where = _profile_questions(source)
    for dim, _name in DIMENSIONS:
        qid = where.get(dim)
        for value, ids in grouped.questions.get(qid, []) if qid else []:
            if dim == "ward" and isinstance(value, dict):
                value = value.get("ward")
            if isinstance(value, str):
                counts[dim][value] += len(ids)
    return counts


def _representation(answered: dict[str, Counter[str]], survey_id: int,
                    language: str) -> tuple[list[Representation], bool]:
    population, illustrative = insight_sources.population(survey_id)
    margins = population.margins()
    labels = _labels(language)
    counts = {dim: Counter({k: n for k, n in answered[dim].items() if k in margins[dim]})
              for dim, _ in DIMENSIONS}
    found = []
    least = results_policy.min_count()
    for dim, name in DIMENSIONS:
        known = sum(counts[dim].values())
        if not known:
            continue
        total = sum(margins[dim].values()) or 1
        rows = []
        for category, people in margins[dim].items():
            n = counts[dim][category]
            shown = n >= least
            rows.append(ShareRow(labels[dim].get(category, category), n if shown else None,
                                 round(100 * n / known, 1) if shown else None,
                                 round(100 * people / total, 1)))
        chart = charts.compare_bars([r.label for r in rows],
                                    [r.sample_percent or 0.0 for r in rows],
                                    [r.borough_percent for r in rows], key=f"rep-{dim}",
                                    words=chart_words(language))
        found.append(Representation(dim, name, rows, known, chart))
    return found, illustrative


def chart_words(language: str) -> charts.Words:
    """The charts' words and digits in the report's language."""
    with force_locale(language):
        return charts.Words(percent=_("Percent"), suppressed=_("suppressed"),
                            took_part=_("Took part"), borough=_("Borough"), language=language)


def _headlines(source: export_rows.Source, items: list[headline_results.Headline],
               language: str) -> list[Headline]:
    """The cached results worded in `language`, with their charts."""
    out = []
    skip = set(_profile_questions(source).values()) | {
        q.id for q in source.definition.questions if q.demographic}
    words = chart_words(language)
    for raw in items:
        if raw.question_id in skip:
            continue  # who answered is in "Who took part", not a headline
        item = headline_results.in_language(raw, source.definition, language)
        rows = headline_results.result_rows([item])
        cats = item.result.categories
        chart = charts.share_bars(
            [str(item.labels.get(c.option, c.option)) for c in cats],
            [headline_results.rounded(
                c.weighted_percent if item.weighted else c.percent) for c in cats],
            [headline_results.rounded(c.ci_low) for c in cats], [headline_results.rounded(
                c.ci_high) for c in cats],
            key=f"q-{item.question_id}", words=words)
        out.append(Headline(item.question_id, item.wording, item.result.base,
                            item.result.effective_base, item.weighted, item.result.suppressed,
                            rows, chart))
    return out


@dataclass(frozen=True)
class _Tallies:
    """The parts of a report computed from every complete response (kept per data version)."""

    responses: int
    by_channel: dict[str, int]
    by_language: dict[str, int]
    weighted: bool
    profile_counts: dict[str, Counter[str]]
    headlines: list[headline_results.Headline]


_CACHE_SIZE = 16


def _tallies(source: export_rows.Source) -> _Tallies:
    """Counts, who took part and headline results: read once per survey data version, weighting
    run and minimum count, then kept in memory (per process) until a response is sent, changed
    or erased, a version is published or a new weighting run completes."""
    survey_id = source.survey_id
    run = latest_run(source.survey)
    least = results_policy.min_count()
    key = (survey_id, data_version(survey_id),
           (run.id, str(run.completed_at)) if run is not None else None, least)
    cache: dict[tuple[object, ...], _Tallies] = current_app.extensions.setdefault(
        "engage_report_tallies", {})
    found = cache.get(key)
    if found is not None:
        return found
    grouped = export_rows.closed_answers(source)
    weights = headline_results.survey_weights(source.survey)
    counts = db.session.execute(
        select(Response.channel, Response.language, func.count(Response.id))
        .where(Response.survey_id == survey_id, Response.status == "submitted")
        .group_by(Response.channel, Response.language)).all()
    by_channel: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    for channel, language, n in counts:
        by_channel[channel] += n
        by_language[language] += n
    found = _Tallies(grouped.responses, dict(by_channel), dict(by_language), weights is not None,
                     _profile_counts(source, grouped),
                     headline_results.headlines(source, counted=(grouped, weights)))
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = found
    return found


def build_report(slug: str, language: str = "") -> Report:
    """The report's content for a survey, its title and group names in the language (the
    survey's own by default); NotFound when there is no such survey. The parts read from
    every response are kept per data version (`_tallies`); themes, equity highlights, the
    shortlist and the population are read on every view."""
    source = export_rows.load_source(slug)
    survey_id = source.survey_id
    tallies = _tallies(source)
    language = language or source.definition.language
    representation, illustrative = _representation(tallies.profile_counts, survey_id, language)
    return Report(
        slug=slug, survey_id=survey_id, title=source.definition.text(source.definition.title,
                                                                     language),
        responses=source.count, by_channel=dict(tallies.by_channel),
        by_language=dict(tallies.by_language),
        weighted=tallies.weighted, illustrative_population=illustrative,
        min_count=results_policy.min_count(), representation=representation,
        headlines=_headlines(source, tallies.headlines, language),
        themes=[replace(t, quotes=[redact(q).text for q in t.quotes])
                for t in insight_sources.theme_summaries(survey_id)],
        equity=insight_sources.equity_highlights(survey_id),
        shortlist=insight_sources.shortlist(survey_id))


def record_view(report: Report, actor: User, ip_address: str = "",
                action: str = "report.view") -> None:
    """Audit that someone read the report, or downloaded it (`report.pdf`): it carries
    aggregate results of a survey."""
    in_transaction(lambda: audit.record(
        action, actor=actor, object_type="survey", object_id=report.survey_id,
        ip_address=ip_address, detail={"rows": report.responses, "slug": report.slug}))
