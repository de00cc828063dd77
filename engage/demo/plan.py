"""Demo data for the partnership plan: the demo group agrees its priorities on a second board
(scored by its members, shortlisted and locked by the chair), and the partnership carries them
into "Tower Hamlets Plan 2023-2028" with outcomes, actions owned by four partner organisations,
and indicators with a baseline, a target and quarterly updates. Idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from engage.extensions import db
from engage.models import Plan, PriorityBoard, TaskGroup, User
from engage.services.decide.plan import plans, progress
from engage.services.decide.plan.progress import IndicatorSpec
from engage.services.decide.priorities import boards

TITLE = "Tower Hamlets Plan 2023-2028"
SUMMARY = ("The partnership plan sets out what the council, police, health services and "
           "voluntary sector will do together, on the priorities residents told us matter most.")
BOARD = "Demo priority board: agreed priorities"
RATIONALE = ("These themes were raised by the most residents, in nearly every ward, and are "
             "ones the partners can only tackle together.")
COUNCIL = "Tower Hamlets Council"
POLICE = "Metropolitan Police"
NHS = "NHS North East London"
CVS = "Tower Hamlets Council for Voluntary Service"
BASELINE, TARGET = date(2023, 4, 1), date(2028, 3, 31)

# Per priority (in shortlist order): an outcome, then actions (title, owner, lead, due, status)
# and indicators (name, unit, baseline, target, direction, owner's action index, pace): pace is
# how far along the trajectory the updates run (1.0 on track, below 1 behind).
PLAYBOOK = [
    ("Residents get help sooner", [
        ("Open two more advice hubs in Bow and Poplar", COUNCIL, "Head of Advice Services",
         date(2027, 3, 31), "on_track"),
        ("Train 200 community champions to signpost help", CVS, "Volunteering Manager",
         date(2026, 9, 30), "done"),
        ("Same-week GP appointments for urgent needs", NHS, "Primary Care Lead",
         date(2027, 12, 31), "at_risk"),
    ], [
        ("Residents who got advice within two weeks", "% of residents", 48.0, 75.0, "higher", 0,
         1.05),
        ("Community champions trained", "people", 0.0, 200.0, "higher", 1, 1.1),
        ("Waiting time for a GP appointment", "days", 14.0, 7.0, "lower", 2, 0.7),
    ]),
    ("Streets feel safer, day and night", [
        ("Evening patrols on six estates", POLICE, "Safer Neighbourhoods Inspector",
         date(2026, 12, 31), "on_track"),
        ("Better lighting on 40 paths and stairwells", COUNCIL, "Highways Manager",
         date(2027, 6, 30), "delayed"),
        ("Youth clubs open on Friday nights", CVS, "Youth Partnership Coordinator",
         date(2027, 3, 31), "not_started"),
    ], [
        ("Reports of antisocial behaviour", "reports a month", 420.0, 300.0, "lower", 0, 0.95),
        ("Paths and stairwells relit", "sites", 0.0, 40.0, "higher", 1, 0.55),
        ("Residents who feel safe after dark", "% of residents", 52.0, 65.0, "higher", 0, 0.9),
    ]),
    ("Homes are warm, dry and repaired on time", [
        ("Clear the damp and mould backlog", COUNCIL, "Director of Housing",
         date(2027, 3, 31), "at_risk"),
        ("Health checks for children in damp homes", NHS, "Children's Health Lead",
         date(2027, 9, 30), "on_track"),
    ], [
        ("Repairs done on time", "% of repairs", 61.0, 90.0, "higher", 0, 0.8),
        ("Open damp and mould cases", "cases", 1800.0, 200.0, "lower", 0, 0.85),
        ("Children referred for a health check", "children", 0.0, 500.0, "higher", 1, 1.0),
    ]),
    ("Everyone can have their say", [
        ("Interviewers at every ward's community events", COUNCIL,
         "Engagement Manager", date(2027, 3, 31), "on_track"),
    ], [
        ("People who took part in a consultation", "people a year", 3000.0, 6000.0, "higher",
         0, 1.0),
    ]),
]


def _user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def _agreed_board(group: TaskGroup, admin: User, chair: User) -> PriorityBoard | None:
    """The group's locked board, made (scored, shortlisted, locked) when there is none."""
    for board in boards.boards_of(group):
        if board.state == "locked":
            return board
    runs = boards.scorable_runs()
    if not runs:
        return None
    from engage.forms.priorities import default_criteria
    from engage.services.decide.priorities import groups

    board = boards.create_board(group, admin, BOARD, [runs[0].id], default_criteria())
    boards.open_scoring(board, admin)
    criteria = boards.criteria(board)
    items = boards.items(board)
    for member in groups.members(group):
        for n, item in enumerate(items):
            value = max(1, 5 - n) if n % 2 == 0 else max(1, 4 - n)
            boards.score(board, item, member, {c.id: (value, "") for c in criteria})
    top = [r.item.id for r in boards.ranking(board)][:min(4, len(items))]
    if len(top) < boards.SHORTLIST_MIN:
        return None
    boards.shortlist_and_lock(board, chair, top, RATIONALE)
    return board


def _quarters(today: date) -> list[date]:
    out: list[date] = []
    year, month = BASELINE.year, BASELINE.month + 3
    while True:
        if month > 12:
            year, month = year + 1, month - 12
        day = date(year, month, 1)
        if day > today:
            return out
        out.append(day)
        month += 3


def _fill(priority_id: int, officer: User, playbook: tuple[str, list, list],  # type: ignore[type-arg]
          today: date) -> None:
    from engage.models import PlanPriority

    priority = db.session.get(PlanPriority, priority_id)
    assert priority is not None
    outcome_title, action_rows, indicator_rows = playbook
    outcome = plans.add_outcome(priority, officer, outcome_title)
    actions = []
    for title, owner, lead, due, status in action_rows:
        action = plans.add_action(priority, officer, title=title, owner=owner, due_on=due,
                                  lead_name=lead, outcome_id=outcome.id)
        if status != "not_started":
            progress.set_status(action, officer, status)
        actions.append(action)
    for name, unit, start, goal, direction, index, pace in indicator_rows:
        spec = IndicatorSpec(name, unit, start, BASELINE, goal, TARGET, direction, "quarterly")
        indicator = progress.add_indicator(priority, officer, spec, action_id=actions[index].id)
        span = (TARGET - BASELINE).days
        for k, day in enumerate(_quarters(today)):
            share = min(1.0, (day - BASELINE).days / span * pace)
            wobble = ((k * 7) % 5 - 2) * 0.01 * abs(goal - start)
            value = round(start + (goal - start) * share + wobble, 1)
            progress.record_update(indicator, officer, value, day,
                                   "Quarterly figure" if k % 3 else "Annual review figure",
                                   today=today)


def load(today: date | None = None) -> Iterator[str]:
    """Create and publish the demo plan (when the demo group and approved themes exist)."""
    from engage.demo.priorities import CHAIR, GROUP

    if db.session.scalars(select(Plan.id).where(Plan.title == TITLE)).first() is not None:
        yield "Plan demo: already there."
        return
    group = db.session.scalars(select(TaskGroup).where(TaskGroup.name == GROUP)).first()
    admin, chair, officer = (_user("admin@engage.example"), _user(CHAIR),
                             _user("officer@engage.example"))
    if group is None or admin is None or chair is None or officer is None:
        yield "Plan demo: skipped (the demo group or staff accounts are missing)."
        return
    board = _agreed_board(group, admin, chair)
    if board is None:
        yield "Plan demo: skipped (no analysis with approved themes to agree priorities from)."
        return
    plan = plans.create_plan(officer, TITLE, 2023, 2028, SUMMARY)
    for (item, _board), playbook in zip(
            [c for c in plans.candidates(plan) if c[1].id == board.id], PLAYBOOK, strict=False):
        priority = plans.promote(plan, officer, item.id)
        _fill(priority.id, officer, playbook, today or date.today())
    plans.set_published(plan, officer, True)
    yield (f"Plan demo: {TITLE} published with {len(plans.priorities(plan))} priorities from "
           f"board {board.id}.")
