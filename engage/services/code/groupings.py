"""Groupings of texts: the one path by which themes and codes reach results.

A grouping is a named set of texts with the texts it is compared against: an approved theme of
an analysis run (its texts: the run's texts assigned to it; compared against: the run's texts),
or a code of a final codeframe (its texts: those a person coded with it in the team's coding;
compared against: the codeframe's coded texts). The insight report, exports, the API, public
pages, the equity lens and priority-board evidence read groupings, so coded results and theme
results are counted the same way: people are distinct respondents (a text without a known
respondent is a person of its own), comments are distinct texts, and weighted figures use the
survey's current weights where they exist. A parent code counts the texts coded to it or to any
of its sub-codes, each person and text once (``roll_up``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

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


def roll_up(rows: list[Row], parents: dict[str, str]) -> list[Row]:
    """The rows with each sub-code's texts given to its parent code as well (``parents``: a
    sub-code's key to its parent's), once per (grouping, text): a parent code holds every text
    coded to it or to any of its sub-codes, so a person coded to two sub-codes of one parent is
    one person (and each of their texts one comment) of the parent, never two."""
    seen: set[tuple[str, int]] = set()
    out: list[Row] = []
    for key, who, text in rows:
        for target in (key, parents.get(key)):
            if target is not None and (target, text) not in seen:
                seen.add((target, text))
                out.append((target, who, text))
    return out


def code_rows(frame: Codeframe, survey_id: int | None = None,
              ) -> tuple[dict[str, Grouping], list[Row]]:
    """The codeframe's active codes given to texts in the team's coding (of a survey's free
    text, when given), and a row per (code, text). A parent code's rows include its active
    sub-codes' texts (``roll_up``). Suggestions are never counted."""
    query = (select(CodedTextCode.code_id, AnalysisText.respondent, AnalysisText.id)
             .join(CodedText, CodedText.id == CodedTextCode.coded_text_id)
             .join(AnalysisText, AnalysisText.id == CodedText.text_id)
             .join(Code, Code.id == CodedTextCode.code_id)
             .where(CodedText.codeframe_id == frame.id, CodedText.stage == "primary",
                    Code.active.is_(True)))
    if survey_id is not None:
        query = query.where(AnalysisText.survey_id == survey_id, AnalysisText.source == "survey")
    codes = list(db.session.scalars(select(Code).where(Code.codeframe_id == frame.id)))
    names = {c.id: c.name for c in codes}
    active = {c.id for c in codes if c.active}
    parents = {f"code:{c.id}": f"code:{c.parent_id}" for c in codes
               if c.active and c.parent_id in active}
    rows = roll_up([(f"code:{code_id}", _respondent(who, text_id), int(text_id))
                    for code_id, who, text_id in db.session.execute(query)], parents)
    used = {key for key, _, _ in rows}
    found = {g.key: g for g in (of_code(c, names) for c in codes if f"code:{c.id}" in used)}
    return found, rows


def count(rows: list[Row], weights: dict[int, float] | None = None) -> dict[str, Counts]:
    """People, comments and weighted share of each grouping: people are distinct respondents,
    comments distinct texts. ``weights`` are per response id (the survey's current weighting);
    a respondent counts once whatever they wrote."""
    texts: dict[str, set[int]] = {}
    people: dict[str, set[str]] = {}
    for key, who, text in rows:
        people.setdefault(key, set()).add(who)
        texts.setdefault(key, set()).add(text)
    total = sum(weights.values()) if weights else 0.0
    out = {}
    for key, who_set in people.items():
        weighted = None
        if weights and total > 0:
            weighted = 100 * sum(_weight(w, weights) for w in who_set) / total
        out[key] = Counts(len(who_set), len(texts[key]), weighted)
    return out


def _weight(who: str, weights: dict[int, float]) -> float:
    kind, _, rid = who.partition(":")
    return weights.get(int(rid), 0.0) if kind == "response" and rid.isdigit() else 0.0


# ----------------------------------------------------------------- for the equity lens

def member_ids(grouping: Grouping) -> Any:
    """A query of the ids of the grouping's texts (a code's: those coded to it or to any of
    its active sub-codes, once each)."""
    if grouping.kind == "theme":
        return select(RunText.text_id).where(RunText.theme_id == grouping.id,
                                             RunText.run_id == grouping.scope_id)
    children = select(Code.id).where(Code.parent_id == grouping.id, Code.active.is_(True))
    return (select(CodedText.text_id)
            .join(CodedTextCode, CodedTextCode.coded_text_id == CodedText.id)
            .where(CodedText.codeframe_id == grouping.scope_id, CodedText.stage == "primary",
                   or_(CodedTextCode.code_id == grouping.id,
                       CodedTextCode.code_id.in_(children)))
            .distinct())


def base_ids(grouping: Grouping) -> Any:
    """A query of the ids of the texts the grouping is compared against."""
    if grouping.kind == "theme":
        return select(RunText.text_id).where(RunText.run_id == grouping.scope_id)
    return select(CodedText.text_id).where(CodedText.codeframe_id == grouping.scope_id,
                                           CodedText.stage == "primary")
