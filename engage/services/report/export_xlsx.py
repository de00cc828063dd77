"""The XLSX workbook: responses, codebook, results per question and themes with quotes.

openpyxl in write-only mode, so memory stays flat however many responses there are. Text is
always written as a string cell (never a formula), after `safe_cell` has put a quote before
anything a spreadsheet could read as a formula, and characters XML cannot hold are dropped.
Numbers stay numbers. Aggregate sheets never show a cell counted from fewer people than
RESULTS_MIN_COUNT (results_policy.min_count).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from analysis.redact import redact
from engage.models import User
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction
from engage.services.report import export_rows, headline_results, insight_sources
from engage.services.report.exports import CODEBOOK_FIELDS, Export, codebook_entries, safe_cell

CHUNK = 64 * 1024
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def text_cell(sheet: WriteOnlyWorksheet, value: object, bold: bool = False) -> WriteOnlyCell:
    """A cell that can never be a formula: numbers as numbers, everything else as a string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would mark text beginning with "=" as a formula
    if bold:
        cell.font = BOLD
    return cell


def plain_value(value: object) -> object:
    """A value for a data row: numbers as they are, None as an empty cell, anything else as
    text that cannot start a formula (openpyxl only treats text beginning with "=" as one)."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))
    return text or None


def _append(sheet: WriteOnlyWorksheet, values: Iterable[object], bold: bool = False) -> None:
    if bold:
        sheet.append([text_cell(sheet, v, bold) for v in values])
    else:  # plain values: about three times faster than a cell object each
        sheet.append([plain_value(v) for v in values])


def _responses(book: Workbook, source: export_rows.Source, personal: bool,
               themes: insight_sources.ThemeColumns,
               progress: Callable[[int], None] | None = None) -> None:
    sheet = book.create_sheet("Responses")
    sheet.freeze_panes = "B2"
    _append(sheet, export_rows.headers(source, themes), bold=True)
    for done, cells in enumerate(export_rows.rows(source, personal, themes), 1):
        _append(sheet, cells)
        if progress is not None and done % export_rows.BATCH == 0:
            progress(done)


def _codebook(book: Workbook, source: export_rows.Source,
              themes: insight_sources.ThemeColumns) -> int:
    sheet = book.create_sheet("Codebook")
    _append(sheet, CODEBOOK_FIELDS, bold=True)
    entries = codebook_entries(source, themes)
    for entry in entries:
        _append(sheet, [entry.get(f, "") for f in CODEBOOK_FIELDS])
    return len(entries)


def _results(book: Workbook, source: export_rows.Source) -> int:
    items = headline_results.headlines(source)
    sheet = book.create_sheet("Results")
    weighted = any(i.weighted for i in items)
    least = results_policy.min_count()
    _append(sheet, [("Weighted results per question" if weighted else
                     "Unweighted results per question (no weights yet)") +
                    f"; cells from fewer than {least} respondents are suppressed"])
    _append(sheet, headline_results.RESULT_HEADERS, bold=True)
    lines = headline_results.result_rows(items)
    for line in lines:
        _append(sheet, line)
    return len(lines)


def _themes(book: Workbook, survey_id: int) -> int:
    themes = insight_sources.theme_summaries(survey_id)
    if not themes:
        return 0
    sheet = book.create_sheet("Themes")
    least = results_policy.min_count()
    _append(sheet, ["theme", "description", "people", "quote"], bold=True)
    lines = 0
    for theme in themes:
        size: object = (theme.size if theme.size >= least else f"fewer than {least}")
        for quote in theme.quotes or [""]:
            _append(sheet, [theme.name, theme.description, size, redact(quote).text])
            lines += 1
    return lines


def workbook_xlsx(slug: str, actor: User, ip_address: str = "",
                  progress: Callable[[int], None] | None = None) -> Export:
    """The survey's workbook, built in a temporary file and streamed; audited with row counts.

    Roles that may not export rows (partner viewers) get the codebook and aggregates only;
    free text is redacted unless the role may see personal data; PermissionError when the
    survey's results policy refuses the actor.
    """
    source = export_rows.load_source(slug)
    results_policy.require(actor, source.survey)
    themes = insight_sources.response_themes(source.survey_id)
    with_rows = export_rows.may_export_rows(actor)
    book = Workbook(write_only=True)
    if with_rows:
        _responses(book, source, export_rows.sees_personal_data(actor), themes, progress)
    codebook = _codebook(book, source, themes)
    result_rows = _results(book, source)
    theme_rows = _themes(book, source.survey_id)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book.save(path)
    except BaseException:
        os.unlink(path)
        raise
    detail = {"rows": source.count if with_rows else 0, "slug": slug,
              "codebook_rows": codebook, "result_rows": result_rows,
              "theme_rows": theme_rows, "aggregates_only": not with_rows,
              "redacted": not export_rows.sees_personal_data(actor)}
    try:
        in_transaction(lambda: audit.record("export.workbook_xlsx", actor=actor,
                                            object_type="survey", object_id=source.survey_id,
                                            ip_address=ip_address, detail=detail))
    except BaseException:
        os.unlink(path)  # not audited, so not sent
        raise
    return Export(filename=f"{slug}-insight.xlsx", rows=source.count if with_rows else 0,
                  chunks=_stream(path))


def _stream(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)
