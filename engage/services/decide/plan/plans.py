"""Building and running the partnership plan: each change is one transaction with one audit row.

Who may do what: engagement officers (and admins) create the plan, publish it, promote
shortlisted board priorities and add outcomes, actions and indicators; they may also update any
action or indicator. A partner (role ``partner_viewer``) sees the plan and updates only the
actions and indicators owned by their own organisation (``User.organisation``, matched exactly);
a partner without an organisation updates nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    BoardItem,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanPriority,
    PriorityBoard,
    User,
)
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError

MANAGERS = ("engagement_officer",)
PARTNER = "partner_viewer"
VIEWERS = (*MANAGERS, PARTNER)


class PlanError(DomainError):
    """A change that cannot be made; ``code`` names the message (forms.messages.PLAN_ERRORS)."""


class Forbidden(PermissionError):
    """The user may not make this change."""


def can_manage(user: User) -> bool:
    """Engagement officers and admins build the plan."""
    return user.has_role(*MANAGERS)


def can_update(user: User, owner: str) -> bool:
    """May this user update an action or indicator owned by this organisation?"""
    if can_manage(user):
        return True
    return (user.role == PARTNER and bool(user.organisation.strip())
            and user.organisation.strip() == owner)


def _manager(user: User) -> None:
    if not can_manage(user):
        raise Forbidden()


def _clean(text: str, limit: int, code: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise PlanError(code)
    if len(text) > limit:
        raise PlanError(code + "_long")
    return text


def _touch(plan_id: int) -> None:
    plan = db.session.get(Plan, plan_id)
    if plan is not None:
        plan.changed_at = utcnow()


def _plan_of(priority_id: int) -> int:
    priority = db.session.get(PlanPriority, priority_id)
    assert priority is not None
    return priority.plan_id


def _record(user: User, action: str, kind: str, object_id: int, **detail: object) -> None:
    audit.record(f"plan.{action}", actor=user, object_type=kind, object_id=object_id,
                 detail=dict(detail))


# ---------------------------------------------------------------- reading


def all_plans() -> list[Plan]:
    """Every plan, newest first."""
    return list(db.session.scalars(select(Plan).order_by(Plan.id.desc())))


def get_plan(plan_id: int) -> Plan | None:
    """A plan by id."""
    return db.session.get(Plan, plan_id)


def published_plan() -> Plan | None:
    """The newest published plan (the one /plan shows), if any."""
    return db.session.scalars(select(Plan).where(Plan.published.is_(True))
                              .order_by(Plan.id.desc()).limit(1)).first()


def priorities(plan: Plan) -> list[PlanPriority]:
    """The plan's priorities in order."""
    return list(db.session.scalars(select(PlanPriority).where(PlanPriority.plan_id == plan.id)
                                   .order_by(PlanPriority.position, PlanPriority.id)))


def candidates(plan: Plan) -> list[tuple[BoardItem, PriorityBoard]]:
    """Shortlisted priorities of locked boards that this plan does not carry yet."""
    taken = select(PlanPriority.board_item_id).where(PlanPriority.plan_id == plan.id,
                                                     PlanPriority.board_item_id.is_not(None))
    return [(item, board) for item, board in db.session.execute(
        select(BoardItem, PriorityBoard).join(PriorityBoard, PriorityBoard.id == BoardItem.board_id)
        .where(PriorityBoard.state == "locked", BoardItem.shortlist_rank.is_not(None),
               BoardItem.id.not_in(taken))
        .order_by(PriorityBoard.id.desc(), BoardItem.shortlist_rank)).all()]


def organisations() -> list[str]:
    """Partner organisations: those of staff accounts and of existing actions, sorted."""
    names = set(db.session.scalars(select(User.organisation).where(User.organisation != "")))
    names |= set(db.session.scalars(select(PlanAction.owner)))
    return sorted(n.strip() for n in names if n.strip())


# ---------------------------------------------------------------- plan and priorities


def create_plan(user: User, title: str, start_year: int, end_year: int, summary: str = "") -> Plan:
    """A new, unpublished plan."""
    _manager(user)
    title = _clean(title, 200, "title_missing")
    if not (2000 <= start_year <= 2100 and 2000 <= end_year <= 2100):
        raise PlanError("year_range")
    if end_year < start_year:
        raise PlanError("period_order")
    if db.session.scalars(select(Plan.id).where(Plan.title == title)).first() is not None:
        raise PlanError("title_taken")

    def work() -> Plan:
        plan = Plan(title=title, summary=(summary or "").strip(), start_year=start_year,
                    end_year=end_year, published=False, created_by_id=user.id)
        db.session.add(plan)
        db.session.flush()
        _record(user, "created", "plan", plan.id, title=title)
        return plan

    return in_transaction(work)


def set_published(plan: Plan, user: User, published: bool) -> None:
    """Publish the plan on /plan and /api/v1/plan, or withdraw it."""
    _manager(user)

    def work() -> None:
        plan.published = published
        plan.changed_at = utcnow()
        _record(user, "published" if published else "withdrawn", "plan", plan.id)

    in_transaction(work)


def promote(plan: Plan, user: User, item_id: int) -> PlanPriority:
    """Carry a shortlisted priority of a locked board into the plan, with its evidence link."""
    _manager(user)
    row = db.session.execute(
        select(BoardItem, PriorityBoard).join(PriorityBoard, PriorityBoard.id == BoardItem.board_id)
        .where(BoardItem.id == item_id)).first()
    if row is None or row[1].state != "locked" or row[0].shortlist_rank is None:
        raise PlanError("not_shortlisted")
    item, board = row
    if db.session.scalars(select(PlanPriority.id).where(
            PlanPriority.plan_id == plan.id, PlanPriority.board_item_id == item.id)).first():
        raise PlanError("already_in_plan")

    def work() -> PlanPriority:
        position = len(priorities(plan)) + 1
        priority = PlanPriority(plan_id=plan.id, board_item_id=item.id, theme_id=item.theme_id,
                                title=item.label, description=item.description,
                                why=board.rationale, position=position)
        db.session.add(priority)
        db.session.flush()
        plan.changed_at = utcnow()
        _record(user, "priority_added", "plan_priority", priority.id, plan=plan.id,
                board_item=item.id)
        return priority

    return in_transaction(work)


def add_outcome(priority: PlanPriority, user: User, title: str) -> PlanOutcome:
    """An outcome under a priority."""
    _manager(user)
    title = _clean(title, 200, "outcome_missing")

    def work() -> PlanOutcome:
        outcome = PlanOutcome(priority_id=priority.id, title=title)
        db.session.add(outcome)
        db.session.flush()
        _touch(priority.plan_id)
        _record(user, "outcome_added", "plan_outcome", outcome.id, priority=priority.id)
        return outcome

    return in_transaction(work)


def outcomes(priority: PlanPriority) -> list[PlanOutcome]:
    """A priority's outcomes in order."""
    return list(db.session.scalars(select(PlanOutcome).where(
        PlanOutcome.priority_id == priority.id).order_by(PlanOutcome.position, PlanOutcome.id)))


def actions(priority: PlanPriority) -> list[PlanAction]:
    """A priority's actions in order."""
    return list(db.session.scalars(select(PlanAction).where(
        PlanAction.priority_id == priority.id).order_by(PlanAction.position, PlanAction.id)))


def _outcome_of(priority: PlanPriority, outcome_id: int | None) -> int | None:
    if outcome_id is None:
        return None
    outcome = db.session.get(PlanOutcome, outcome_id)
    if outcome is None or outcome.priority_id != priority.id:
        raise PlanError("outcome_unknown")
    return outcome.id


def add_action(priority: PlanPriority, user: User, *, title: str, owner: str, due_on: date,
               description: str = "", lead_name: str = "",
               outcome_id: int | None = None) -> PlanAction:
    """An action owned by a partner organisation, with a lead and a due date."""
    _manager(user)
    title = _clean(title, 200, "action_missing")
    owner = _clean(owner, 120, "owner_missing")
    outcome = _outcome_of(priority, outcome_id)

    def work() -> PlanAction:
        action = PlanAction(priority_id=priority.id, outcome_id=outcome, title=title,
                            description=(description or "").strip(), owner=owner,
                            lead_name=" ".join((lead_name or "").split())[:120], due_on=due_on,
                            status="not_started")
        db.session.add(action)
        db.session.flush()
        _touch(priority.plan_id)
        _record(user, "action_added", "plan_action", action.id, priority=priority.id, owner=owner)
        return action

    return in_transaction(work)


# ---------------------------------------------------------------- editing


def edit_priority(priority: PlanPriority, user: User, *, title: str, description: str = "",
                  why: str = "") -> None:
    """Change a priority's title, description and "why" (the board's label may be a machine
    label nobody approved). Officers and admins only; the public page follows at once."""
    _manager(user)
    title = _clean(title, 200, "priority_missing")
    description = (description or "").strip()
    why = (why or "").strip()
    if len(description) > 4000 or len(why) > 4000:
        raise PlanError("text_long")
    before = priority.title

    def work() -> None:
        priority.title, priority.description, priority.why = title, description, why
        _touch(priority.plan_id)
        _record(user, "priority_edited", "plan_priority", priority.id, before=before,
                after=title)

    in_transaction(work)
