"""Exports of survey responses: CSV in constant memory, with a codebook (S14, S15)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import Response, SentCount, Survey, User
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction
from engage.services.report import export_rows, insight_sources
from surveys import localise, tabulate

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_FORMULA_FIRST = frozenset(FORMULA_START)
BOM = "\ufeff"
BATCH = 500


def safe_cell(value: object) -> str:
    """A cell as text that no spreadsheet will run as a formula (a leading quote defuses it)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text[:1] in _FORMULA_FIRST:
        return "'" + text
    return text


def _line(cells: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


@dataclass(frozen=True)
class Export:
    """A prepared export: its file name, row count and a generator of its chunks."""

    filename: str
    rows: int
    chunks: Iterator[str] | Iterator[bytes]


def responses_csv(slug: str, actor: User, ip_address: str = "",
                  progress: Callable[[int], None] | None = None) -> Export:
    """All submitted responses of a survey as CSV (labels, one column per option); audited.

    Free text is redacted unless the actor's role may see personal data; roles that may only
    see aggregates, and anyone the survey's results policy refuses, get PermissionError.
    """
    if not export_rows.may_export_rows(actor):
        raise PermissionError(actor.role)
    source = export_rows.load_source(slug)
    results_policy.require(actor, source.survey)
    themes = insight_sources.response_themes(source.survey_id)
    personal = export_rows.sees_personal_data(actor)
    detail = {"rows": source.count, "slug": slug, "redacted": not personal}
    in_transaction(lambda: audit.record("export.responses_csv", actor=actor,
                                        object_type="survey", object_id=source.survey_id,
                                        ip_address=ip_address, detail=detail))

    def generate() -> Iterator[str]:
        yield BOM + _line(export_rows.headers(source, themes))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        # Cells come defused (formulas neutralised) from `rows`, which leaves as they are
        # only cells that cannot start a formula; written BATCH rows at a time.
        found = export_rows.rows(source, personal, themes, defuse=safe_cell)
        done = 0
        while batch := list(islice(found, BATCH)):
            writer.writerows(batch)
            done += len(batch)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if progress is not None and len(batch) == BATCH:
                progress(done)

    return Export(filename=f"{slug}-responses.csv", rows=source.count, chunks=generate())


CODEBOOK_FIELDS = ["column", "key", "question_id", "wording", "type", "values", "asked_when",
                   "routing_after_page"]


def codebook_entries(source: export_rows.Source,
                     themes: insight_sources.ThemeColumns | None = None) -> list[dict[str, str]]:
    """One entry per column of the responses table, in the table's order."""
    meta = [{"column": name, "key": name, "wording": note}
            for name, note in export_rows.META_NOTES.items()]
    headers = themes.headers if themes else []
    kinds = (themes.kinds if themes else []) or ["theme"] * len(headers)
    theme_rows = [{"column": header, "key": header, "type": kind,
                   "wording": f"1 = the free text was coded to this {kind}, blank = not"}
                  for header, kind in zip(headers, kinds, strict=True)]
    return [*meta, *tabulate.codebook(source.definition), *theme_rows]


def codebook_csv(slug: str, actor: User, ip_address: str = "") -> Export:
    """The codebook of a survey's export: one row per column, explaining it; audited."""
    source = export_rows.load_source(slug)
    results_policy.require(actor, source.survey)
    entries = codebook_entries(source, insight_sources.response_themes(source.survey_id))
    detail = {"rows": len(entries), "slug": slug}
    in_transaction(lambda: audit.record("export.codebook_csv", actor=actor,
                                        object_type="survey", object_id=source.survey_id,
                                        ip_address=ip_address, detail=detail))

    def generate() -> Iterator[str]:
        yield BOM + _line(list(CODEBOOK_FIELDS))
        for entry in entries:
            yield _line([entry.get(f, "") for f in CODEBOOK_FIELDS])

    return Export(filename=f"{slug}-codebook.csv", rows=len(entries), chunks=generate())


@dataclass(frozen=True)
class SurveySummary:
    """A line of the staff survey list."""

    slug: str
    title: str
    versions: int
    submitted: int
    in_progress: int
    by_channel: dict[str, int]
    results: bool = True
    """Whether the viewer may open the survey's results (report, exports, weighting)."""
    draft: bool = False
    """Whether a draft is being built (never published, or changes to publish)."""


def _title(definition: dict[str, object] | None, language: str) -> str:
    """A definition's title in the language, else in its main language ("" if none)."""
    if not definition:
        return ""
    title = definition.get("title")
    main = str(definition.get("language") or "en")
    return localise(title, language, main) if isinstance(title, dict) else str(title or "")


def survey_summaries(viewer: User | None = None, language: str = "en") -> list[SurveySummary]:
    """Every survey with its response counts, newest first; for a viewer, each says whether
    they may see its results, and partner viewers get only the surveys whose results they may
    see (they have nothing else to do with a survey)."""
    # Sent responses from the counts the database keeps (migration 0023), responses in progress
    # counted live (they expire, so there are few); rows of an unfinished import in neither.
    sent: dict[int, dict[str, int]] = {}
    for survey_id, channel, n in db.session.execute(
            select(SentCount.survey_id, SentCount.channel, func.sum(SentCount.n))
            .where(SentCount.n > 0).group_by(SentCount.survey_id, SentCount.channel)):
        sent.setdefault(survey_id, {})[channel] = int(n)
    started = dict(db.session.execute(
        select(Response.survey_id, func.count(Response.id))
        .where(Response.status == "in_progress").group_by(Response.survey_id)).all())
    found = []
    for survey in db.session.scalars(select(Survey).order_by(Survey.created_at.desc())):
        allowed = viewer is None or results_policy.may_see_results(viewer, survey)
        if not allowed and viewer is not None and viewer.role == "partner_viewer":
            continue
        by_channel = sent.get(survey.id, {})
        submitted = sum(by_channel.values())
        in_progress = int(started.get(survey.id, 0))
        latest = survey.versions[-1] if survey.versions else None
        draft = survey.draft
        # The title in the viewer's language: the latest published version's, else the
        # draft's; the web address only when neither has one.
        title = (_title(latest.definition, language) or latest.title if latest
                 else _title(draft.definition if draft else None, language)) or survey.slug
        found.append(SurveySummary(slug=survey.slug, title=title,
                                   versions=len(survey.versions), submitted=submitted,
                                   in_progress=in_progress, by_channel=by_channel,
                                   results=allowed, draft=draft is not None))
    return found
