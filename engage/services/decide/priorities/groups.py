"""Task and Finish groups: who is in them and who chairs them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, delete, func, select

from engage.extensions import db
from engage.models import TaskGroup, TaskGroupMember, User
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError

# Roles that set up groups and boards (admins hold every role).
MANAGERS = ("engagement_officer", "analyst")
# Roles that may never be a member (they see, they do not decide).
NOT_MEMBERS = ("partner_viewer",)


class BoardError(DomainError):
    """The change cannot be made; ``code`` names the problem for the page."""


class Forbidden(PermissionError):
    """This user may not do this to this group or board (the route answers 403)."""


def all_groups() -> list[TaskGroup]:
    """Every group, by name."""
    return list(db.session.scalars(select(TaskGroup).order_by(func.lower(TaskGroup.name))))


def get_group(group_id: int) -> TaskGroup | None:
    """A group by id."""
    return db.session.get(TaskGroup, group_id)


def member_ids(group: TaskGroup) -> set[int]:
    """The ids of the group's members (the chair included)."""
    return set(db.session.scalars(select(TaskGroupMember.user_id).where(
        TaskGroupMember.group_id == group.id)))


def members(group: TaskGroup) -> list[User]:
    """The group's members, by name."""
    return list(db.session.scalars(
        select(User).join(TaskGroupMember, TaskGroupMember.user_id == User.id)
        .where(TaskGroupMember.group_id == group.id).order_by(func.lower(User.name), User.id)))


def is_member(group: TaskGroup, user: User) -> bool:
    """True when the user is a member of this group."""
    return db.session.get(TaskGroupMember, (group.id, user.id)) is not None


def is_chair(group: TaskGroup, user: User) -> bool:
    """True when the user chairs this group."""
    return group.chair_id is not None and group.chair_id == user.id


def can_manage(user: User) -> bool:
    """True when the user may set up groups and boards."""
    return bool(user.has_role(*MANAGERS))


def can_chair(group: TaskGroup, user: User) -> bool:
    """True when the user may do the chair's work on this group (the chair, or an admin)."""
    return is_chair(group, user) or user.role == "admin"


def member_choices() -> list[User]:
    """Active staff who may join a group: group members first, then the others."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role.not_in(NOT_MEMBERS))
        .order_by(case((User.role == "group_member", 0), else_=1), func.lower(User.name),
                  User.id)))


def _check(name: str, chair_id: int | None, ids: set[int], group_id: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise BoardError("group_name_missing")
    if len(name) > 120:
        raise BoardError("group_name_long")
    clash = db.session.scalar(select(TaskGroup.id).where(
        func.lower(TaskGroup.name) == name.lower()))
    if clash is not None and clash != group_id:
        raise BoardError("group_name_taken")
    allowed = {u.id for u in member_choices()}
    if chair_id is None or chair_id not in allowed:
        raise BoardError("chair_missing")
    if not ids <= allowed:
        raise BoardError("member_unknown")
    return name


def _set_members(group: TaskGroup, ids: set[int]) -> None:
    current = member_ids(group)
    for user_id in ids - current:
        db.session.add(TaskGroupMember(group_id=group.id, user_id=user_id))
    gone = current - ids
    if gone:
        db.session.execute(delete(TaskGroupMember).where(
            TaskGroupMember.group_id == group.id, TaskGroupMember.user_id.in_(gone)))


def create_group(user: User, name: str, remit: str, chair_id: int | None,
                 member_user_ids: Sequence[int]) -> TaskGroup:
    """Create a group with its chair and members (the chair is always a member)."""
    if not can_manage(user):
        raise Forbidden()
    ids = set(member_user_ids) | ({chair_id} if chair_id is not None else set())
    clean = _check(name, chair_id, ids, None)

    def work() -> TaskGroup:
        group = TaskGroup(name=clean, remit=remit.strip(), chair_id=chair_id,
                          created_by_id=user.id)
        db.session.add(group)
        db.session.flush()
        _set_members(group, ids)
        audit.record("priorities.group_created", actor=user, object_type="task_group",
                     object_id=group.id, detail={"name": clean, "chair_id": chair_id,
                                                 "members": sorted(ids)})
        return group

    return in_transaction(work)


def update_group(group: TaskGroup, user: User, name: str, remit: str, chair_id: int | None,
                 member_user_ids: Sequence[int]) -> TaskGroup:
    """Change a group's name, remit, chair or members (managers, the chair or an admin)."""
    if not (can_manage(user) or can_chair(group, user)):
        raise Forbidden()
    ids = set(member_user_ids) | ({chair_id} if chair_id is not None else set())
    clean = _check(name, chair_id, ids, group.id)

    def work() -> TaskGroup:
        before = {"name": group.name, "chair_id": group.chair_id,
                  "members": sorted(member_ids(group))}
        group.name, group.remit, group.chair_id = clean, remit.strip(), chair_id
        _set_members(group, ids)
        audit.record("priorities.group_updated", actor=user, object_type="task_group",
                     object_id=group.id, detail={"before": before, "after": {
                         "name": clean, "chair_id": chair_id, "members": sorted(ids)}})
        return group

    return in_transaction(work)


def groups_of(user: User) -> set[int]:
    """The ids of the groups this user belongs to."""
    return set(db.session.scalars(select(TaskGroupMember.group_id).where(
        TaskGroupMember.user_id == user.id)))
