"""What the partner API returns: a page of responses (free text always redacted), results per
closed question, and themes and codes; plain dicts ready for JSON."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from sqlalchemy import select

from engage.extensions import db
from engage.models import Response
from engage.services.platform import results_policy
from engage.services.report import export_rows, headline_results, insight_sources
from surveys import tabulate

MAX_PER_PAGE = 500
_CURSOR = re.compile(r"([1-9][0-9]{0,8})\.([1-9][0-9]{0,17})")


class BadCursor(ValueError):
    """An `after` value this API did not give (or that was altered)."""


def cursor(page: int, last_id: int) -> str:
    """The opaque `next_cursor` of a page: the page's number and the last response it showed."""
    return base64.urlsafe_b64encode(f"{page}.{last_id}".encode()).decode().rstrip("=")


def read_cursor(text: str) -> tuple[int, int]:
    """(page, last response id) from a `next_cursor`; BadCursor for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor(text) from error
    found = _CURSOR.fullmatch(raw)
    if found is None:
        raise BadCursor(text)
    return int(found.group(1)), int(found.group(2))


def responses_page(slug: str, page: int = 1, per_page: int = 100,
                   after: str | None = None) -> dict[str, Any]:
    """One page of submitted responses, oldest first, answers keyed by codebook column key.

    `after`: the `next_cursor` of the page before; the page is then found from the last response
    that page showed (by key: a page deep in a large survey costs what the first does) and
    `page` is ignored. A page number alone is counted to (OFFSET), as before. BadCursor when
    `after` is not a cursor this API gave."""
    previous = read_cursor(after) if after is not None else None
    source = export_rows.load_source(slug)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    hiders = export_rows.cell_hiders(source.definition, source.columns, False)
    weights = insight_sources.response_weights(source.survey_id)
    table = Response.__table__
    query = (select(table.c.id, table.c.reference, table.c.submitted_at, table.c.channel,
                    table.c.language, table.c.answers)
             .where(table.c.survey_id == source.survey_id, table.c.status == "submitted")
             .order_by(table.c.id).limit(per_page + 1))
    if previous is not None:
        page = previous[0] + 1
        query = query.where(table.c.id > previous[1])
    else:
        page = max(1, page)
        query = query.offset((page - 1) * per_page)
    found = db.session.execute(query).all()
    rows = found[:per_page]
    items = []
    for row in rows:
        answers = row.answers or {}
        cells = tabulate.row(source.definition, source.columns, answers)
        items.append({
            "reference": row.reference,
            "submitted_at": row.submitted_at.isoformat(timespec="seconds"),
            "channel": row.channel,
            "language": row.language,
            "ward": export_rows.ward_label(source.definition, answers) or None,
            "weight": weights.get(row.id),
            "answers": {c.key: (h(v) if h else v)
                        for c, v, h in zip(source.columns, cells, hiders, strict=True)
                        if v is not None},
        })
    pages = max(1, -(-source.count // per_page))
    # One row more than the page was read: whether another page follows.
    following = cursor(page, rows[-1].id) if len(found) > per_page else None
    return {"survey": slug, "page": page, "per_page": per_page, "total": source.count,
            "pages": pages, "next_cursor": following, "items": items}


def results_of(slug: str) -> dict[str, Any]:
    """Results per closed question (weighted when weights exist), small cells suppressed."""
    source = export_rows.load_source(slug)
    items = headline_results.headlines(source)
    questions = []
    for item in items:
        r = item.result
        questions.append({
            "question_id": item.question_id, "question": item.wording, "base": r.base,
            "effective_base": round(r.effective_base, 1), "weighted": item.weighted,
            "suppressed": r.suppressed,
            "answers": [{
                "answer_id": c.option, "answer": item.labels.get(c.option, c.option),
                "respondents": c.count, "percent": headline_results.rounded(c.percent),
                "weighted_percent": headline_results.rounded(
                    c.weighted_percent) if item.weighted else None,
                "ci_low": headline_results.rounded(c.ci_low), "ci_high": headline_results.rounded(
                    c.ci_high),
                "suppressed": c.suppressed} for c in r.categories],
        })
    return {"survey": slug, "responses": source.count, "min_count": results_policy.min_count(),
            "questions": questions}


def themes_of(slug: str) -> dict[str, Any]:
    """Approved themes of the published run, with their people counts and redacted publishable
    quotes, and the codes of the survey's final codeframe with people and comments (empty
    lists until an analyst approves a theme or marks a codeframe final)."""
    from analysis.redact import redact

    source = export_rows.load_source(slug)
    found = insight_sources.theme_summaries(source.survey_id)
    least = results_policy.min_count()

    def shown(n: int) -> int | None:
        return n if n >= least else None

    def figures(t: insight_sources.ThemeSummary) -> dict[str, Any]:
        small = t.size < least
        return {"name": t.name, "description": t.description, "people": shown(t.size),
                "comments": None if small else t.comments,
                "weighted_percent": None if small else headline_results.rounded(t.weighted_percent)}

    return {"survey": slug,
            "themes": [{**figures(t), "responses": shown(t.size),
                        "quotes": [redact(q).text for q in t.quotes]}
                       for t in found if t.kind == "theme"],
            "codes": [figures(t) for t in found if t.kind == "code"]}


