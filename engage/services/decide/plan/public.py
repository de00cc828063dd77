"""What the public sees of a plan (/plan) and the open data (/api/v1/plan).

The whole plan is read in a handful of queries. The residents' evidence behind a priority is
shown only where a person approved it for the public: the theme when an analyst approved it
(and it is still active), its quotes marked publishable (redacted text), and Ask the Mayor
questions placed in the theme that a moderator published. Counts of people are rounded down to
tens and withheld under the small-numbers minimum. Nothing personal leaves: no lead's contact
details, no staff ids, no names of who recorded an update (only the organisation).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    MayorQuestion,
    Plan,
    PlanAction,
    PlanIndicator,
    PlanOutcome,
    PlanPriority,
    PlanUpdate,
    RunText,
    Theme,
    ThemeQuote,
)
from engage.services.decide.plan import chart, rag
from engage.services.platform import results_policy

QUOTES = 3
QUESTIONS = 3


@dataclass
class Evidence:
    """What residents said, as approved for the public."""

    theme: str = ""
    description: str = ""
    people: int | None = None  # rounded down to tens; None under the minimum
    quotes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


class Measured(Protocol):
    """A progress update as the pages read it (a PlanUpdate row or a Reading)."""

    @property
    def id(self) -> int: ...
    @property
    def value(self) -> float: ...
    @property
    def measured_on(self) -> date: ...
    @property
    def note(self) -> str: ...
    @property
    def by_organisation(self) -> str: ...


class Reading(NamedTuple):
    """A progress update read without the ORM (a big plan has thousands)."""

    id: int
    value: float
    measured_on: date
    note: str
    by_organisation: str


@dataclass
class IndicatorView:
    row: PlanIndicator
    updates: list[Measured]  # oldest measurement first
    status: str | None  # "green", "amber", "red"; None before any update

    @property
    def latest(self) -> Measured | None:
        return self.updates[-1] if self.updates else None

    @cached_property
    def chart(self) -> chart.Chart:
        """The chart's geometry (built only when the chart is drawn)."""
        i = self.row
        return chart.build((i.baseline_on, i.baseline_value), (i.target_on, i.target_value),
                           [(u.measured_on, u.value) for u in self.updates])


@dataclass
class PriorityView:
    row: PlanPriority
    evidence: Evidence
    outcomes: list[PlanOutcome]
    actions: list[PlanAction]
    indicators: list[IndicatorView]

    @property
    def by_partner(self) -> list[tuple[str, list[PlanAction]]]:
        """The actions grouped by owner organisation, organisations in name order."""
        groups: dict[str, list[PlanAction]] = defaultdict(list)
        for action in self.actions:
            groups[action.owner].append(action)
        return sorted(groups.items())


@dataclass
class PlanView:
    plan: Plan
    priorities: list[PriorityView]


def trajectory(indicator: PlanIndicator) -> rag.Trajectory:
    """The indicator's trajectory for the RAG rule."""
    return rag.Trajectory(indicator.baseline_value, indicator.baseline_on,
                          indicator.target_value, indicator.target_on,
                          higher_is_better=indicator.direction == "higher")


def indicator_view(indicator: PlanIndicator, rows: list[Any]) -> IndicatorView:
    """An indicator with its updates (oldest first), status and chart."""
    latest = rows[-1] if rows else None
    status = (rag.rag(trajectory(indicator), latest.value, latest.measured_on)
              if latest is not None else None)
    return IndicatorView(indicator, rows, status)


def _rounded(count: int | None) -> int | None:
    if count is None or count < results_policy.min_count():
        return None
    return count - count % 10


def evidence(theme_id: int | None) -> Evidence:
    """The public evidence of a theme (empty when the theme is not approved)."""
    theme = db.session.get(Theme, theme_id) if theme_id is not None else None
    if theme is None or not theme.approved or not theme.active:
        return Evidence()
    quotes = list(db.session.scalars(
        select(AnalysisText.redacted).join(ThemeQuote, ThemeQuote.text_id == AnalysisText.id)
        .where(ThemeQuote.theme_id == theme.id, ThemeQuote.publishable.is_(True))
        .order_by(ThemeQuote.position).limit(QUOTES)))
    placed = (select(AnalysisText.source_id).join(RunText, RunText.text_id == AnalysisText.id)
              .where(RunText.run_id == theme.run_id, RunText.theme_id == theme.id,
                     AnalysisText.source == "ask_the_mayor"))
    questions = list(db.session.scalars(
        select(MayorQuestion).where(MayorQuestion.status == "published",
                                    MayorQuestion.reference.in_(placed))
        .order_by(MayorQuestion.published_at.desc()).limit(QUESTIONS)))
    return Evidence(theme=theme.label, description=theme.description,
                    people=_rounded(theme.respondents), quotes=[q for q in quotes if q],
                    questions=[q.shown_text for q in questions])


def _by(model: Any, column: Any, ids: list[int], order: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    if ids:
        for row in db.session.scalars(select(model).where(column.in_(ids)).order_by(*order)):
            out[getattr(row, column.key)].append(row)
    return out


def plan_view(plan: Plan, *, with_evidence: bool = True) -> PlanView:
    """The plan with every priority's evidence, outcomes, actions and indicators."""
    rows = list(db.session.scalars(select(PlanPriority).where(PlanPriority.plan_id == plan.id)
                                   .order_by(PlanPriority.position, PlanPriority.id)))
    ids = [p.id for p in rows]
    outcomes = _by(PlanOutcome, PlanOutcome.priority_id, ids,
                   (PlanOutcome.position, PlanOutcome.id))
    actions = _by(PlanAction, PlanAction.priority_id, ids, (PlanAction.position, PlanAction.id))
    indicators = _by(PlanIndicator, PlanIndicator.priority_id, ids, (PlanIndicator.id,))
    indicator_ids = [i.id for group in indicators.values() for i in group]
    updates: dict[int, list[Any]] = defaultdict(list)
    if indicator_ids:
        u = PlanUpdate
        for row in db.session.execute(
                select(u.indicator_id, u.id, u.value, u.measured_on, u.note, u.by_organisation)
                .where(u.indicator_id.in_(indicator_ids)).order_by(u.measured_on, u.id)):
            updates[row[0]].append(Reading(*row[1:]))
    return PlanView(plan, [PriorityView(
        row=p, evidence=evidence(p.theme_id) if with_evidence else Evidence(),
        outcomes=outcomes[p.id], actions=actions[p.id],
        indicators=[indicator_view(i, updates[i.id]) for i in indicators[p.id]])
        for p in rows])


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def open_data(view: PlanView) -> dict[str, Any]:
    """The plan as open data: no personal data (no names, emails or staff ids)."""
    plan = view.plan
    return {
        "title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
        "updated": plan.changed_at.isoformat(timespec="seconds"),
        "priorities": [{
            "id": p.row.id, "title": p.row.title, "description": p.row.description,
            "outcomes": [o.title for o in p.outcomes],
            "actions": [{"id": a.id, "title": a.title, "owner": a.owner, "status": a.status,
                         "due": a.due_on.isoformat()} for a in p.actions],
            "indicators": [{
                "id": i.row.id, "name": i.row.name, "unit": i.row.unit, "owner": i.row.owner,
                "direction": i.row.direction, "frequency": i.row.frequency,
                "baseline": {"value": i.row.baseline_value, "date": i.row.baseline_on.isoformat()},
                "target": {"value": i.row.target_value, "date": i.row.target_on.isoformat()},
                "latest": ({"value": i.latest.value, "date": i.latest.measured_on.isoformat()}
                           if i.latest is not None else None),
                "status": i.status,
            } for i in p.indicators],
        } for p in view.priorities],
    }
