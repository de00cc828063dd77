"""Groupings of texts: the one path by which themes and codes reach results.

A grouping is a named set of texts with the texts it is compared against: an approved theme of
an analysis run (its texts: the run's texts assigned to it; compared against: the run's texts),
or a code of a final codeframe (its texts: those a person coded with it in the team's coding;
compared against: the codeframe's coded texts). The insight report, exports, the API, public
pages, the equity lens and priority-board evidence read groupings, so coded results and theme
results are counted the same way: people are distinct respondents (a text without a known
respondent is a person of its own), comments are texts, and weighted figures use the survey's
current weights where they exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    Code,
    CodedText,
    CodedTextCode,
    Codeframe,
    RunText,
    Theme,
    ThemeRun,
)

KINDS = ("theme", "code")


@dataclass(frozen=True)
class Grouping:
    """A theme or a code: ``kind``, its id, where it belongs (run or codeframe id), its name."""

    kind: str
    id: int
    scope_id: int
    label: str
    description: str = ""

    @property
    def key(self) -> str:
        """Unique across kinds, e.g. ``code:7``."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Counts:
    """People (distinct respondents), comments (texts), and the weighted share of people
    (percent of the survey's weighted total; None without weights)."""

    people: int
    comments: int
    weighted_percent: float | None = None


Row = tuple[str, str, int]  # (grouping key, respondent, text id)


def of_theme(theme: Theme) -> Grouping:
    """A theme as a grouping."""
    return Grouping("theme", theme.id, theme.run_id, theme.label, theme.description)


def code_label(code: Code, parents: dict[int, str] | None = None) -> str:
    """A code's name, after its parent's for a sub-code ("Transport / Buses")."""
    parent = (parents or {}).get(code.parent_id) if code.parent_id else None
    if parent is None and code.parent_id:
        found = db.session.get(Code, code.parent_id)
        parent = found.name if found is not None else None
    return f"{parent} / {code.name}" if parent else code.name


def of_code(code: Code, parents: dict[int, str] | None = None) -> Grouping:
    """A code as a grouping."""
    return Grouping("code", code.id, code.codeframe_id, code_label(code, parents),
                    code.definition)


def _respondent(who: str | None, text_id: int) -> str:
    return str(who) if who else f"text:{text_id}"


def theme_rows(run: ThemeRun, survey_id: int | None = None, approved_only: bool = False,
               ) -> tuple[dict[str, Grouping], list[Row]]:
    """The run's active themes with texts (of a survey's free text, when given), and a row per
    themed text."""
    query = (select(RunText.theme_id, AnalysisText.respondent, AnalysisText.id)
             .join(AnalysisText, AnalysisText.id == RunText.text_id)
             .join(Theme, Theme.id == RunText.theme_id)
             .where(RunText.run_id == run.id, Theme.active.is_(True)))
    if survey_id is not None:
        query = query.where(AnalysisText.survey_id == survey_id, AnalysisText.source == "survey")
    if approved_only:
        query = query.where(Theme.approved.is_(True))
    rows = db.session.execute(query).all()
    ids = {int(theme_id) for theme_id, _, _ in rows if theme_id is not None}
    found = {g.key: g for g in (of_theme(t) for t in db.session.scalars(
        select(Theme).where(Theme.id.in_(ids))))}
    return found, [(f"theme:{theme_id}", _respondent(who, text_id), int(text_id))
                   for theme_id, who, text_id in rows]


def code_rows(frame: Codeframe, survey_id: int | None = None,
              ) -> tuple[dict[str, Grouping], list[Row]]:
    """The codeframe's active codes given to texts in the team's coding (of a survey's free
    text, when given), and a row per (code, text). Suggestions are never counted."""
    query = (select(CodedTextCode.code_id, AnalysisText.respondent, AnalysisText.id)
             .join(CodedText, CodedText.id == CodedTextCode.coded_text_id)
             .join(AnalysisText, AnalysisText.id == CodedText.text_id)
             .join(Code, Code.id == CodedTextCode.code_id)
             .where(CodedText.codeframe_id == frame.id, CodedText.stage == "primary",
                    Code.active.is_(True)))
    if survey_id is not None:
        query = query.where(AnalysisText.survey_id == survey_id, AnalysisText.source == "survey")
    rows = db.session.execute(query).all()
    codes = list(db.session.scalars(select(Code).where(Code.codeframe_id == frame.id)))
    parents = {c.id: c.name for c in codes}
    used = {int(code_id) for code_id, _, _ in rows}
    found = {g.key: g for g in (of_code(c, parents) for c in codes if c.id in used)}
    return found, [(f"code:{code_id}", _respondent(who, text_id), int(text_id))
                   for code_id, who, text_id in rows]


def count(rows: list[Row], weights: dict[int, float] | None = None) -> dict[str, Counts]:
    """People, comments and weighted share of each grouping. ``weights`` are per response id
    (the survey's current weighting); a respondent counts once whatever they wrote."""
    comments = Counter(key for key, _, _ in rows)
    people: dict[str, set[str]] = {}
    for key, who, _ in rows:
        people.setdefault(key, set()).add(who)
    total = sum(weights.values()) if weights else 0.0
    out = {}
    for key, who_set in people.items():
        weighted = None
        if weights and total > 0:
            weighted = 100 * sum(_weight(w, weights) for w in who_set) / total
        out[key] = Counts(len(who_set), comments[key], weighted)
    return out


def _weight(who: str, weights: dict[int, float]) -> float:
    kind, _, rid = who.partition(":")
    return weights.get(int(rid), 0.0) if kind == "response" and rid.isdigit() else 0.0


# ----------------------------------------------------------------- for the equity lens

def member_ids(grouping: Grouping) -> Any:
    """A query of the ids of the grouping's texts."""
    if grouping.kind == "theme":
        return select(RunText.text_id).where(RunText.theme_id == grouping.id,
                                             RunText.run_id == grouping.scope_id)
    return (select(CodedText.text_id)
            .join(CodedTextCode, CodedTextCode.coded_text_id == CodedText.id)
            .where(CodedText.codeframe_id == grouping.scope_id, CodedText.stage == "primary",
                   CodedTextCode.code_id == grouping.id))


def base_ids(grouping: Grouping) -> Any:
    """A query of the ids of the texts the grouping is compared against."""
    if grouping.kind == "theme":
        return select(RunText.text_id).where(RunText.run_id == grouping.scope_id)
    return select(CodedText.text_id).where(CodedText.codeframe_id == grouping.scope_id,
                                           CodedText.stage == "primary")
