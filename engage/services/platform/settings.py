"""Settings an administrator changes on a page; every change is audited (platform)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from engage.extensions import db
from engage.models import ROLES, ServiceSetting, User
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

# Whoever drafts an Ask the Mayor answer cannot approve it (issue 15); on unless relaxed.
SEPARATE_MAYOR_DUTIES = "mayor.separate_duties"
DEFAULTS = {SEPARATE_MAYOR_DUTIES: True}
# Roles that must use two-step verification (issue 19): one flag per role, on for admin.
TWO_STEP_PREFIX = "two_step.required."
DEFAULTS.update({TWO_STEP_PREFIX + role: role == "admin" for role in ROLES})


class NotAdmin(PermissionError):
    """Only an administrator changes settings."""


def _default(key: str) -> bool:
    if key.startswith(TWO_STEP_PREFIX):  # until an admin saves the rules: the configured roles
        return key[len(TWO_STEP_PREFIX):] in current_app.config["TWO_STEP_DEFAULT_ROLES"]
    return DEFAULTS[key]


def flag(key: str) -> bool:
    """A yes/no setting: its stored value, or its default."""
    stored = db.session.get(ServiceSetting, key)
    return _default(key) if stored is None else stored.value == "on"


def set_flag(actor: User, key: str, on: bool) -> None:
    """Turn a yes/no setting on or off (administrators only), with an audit row."""
    if key not in DEFAULTS:
        raise KeyError(key)
    if not actor.role == "admin":
        raise NotAdmin(key)

    def work() -> None:
        stored = db.session.get(ServiceSetting, key)
        before = _default(key) if stored is None else stored.value == "on"
        if stored is None:
            stored = ServiceSetting(key=key, value="")
            db.session.add(stored)
        stored.value = "on" if on else "off"
        stored.changed_at = utcnow()
        stored.changed_by_id = actor.id
        audit.record("settings.change", actor=actor, object_type="setting", object_id=key,
                     detail={"from": before, "to": on})

    in_transaction(work)


def two_step_required(role: str) -> bool:
    """True when accounts of this role must use two-step verification."""
    return flag(TWO_STEP_PREFIX + role)


def two_step_roles() -> list[str]:
    """The roles that must use two-step verification, in the order of ROLES."""
    stored = {row.key: row.value == "on" for row in db.session.scalars(select(ServiceSetting)
              .where(ServiceSetting.key.startswith(TWO_STEP_PREFIX)))}
    return [r for r in ROLES if stored.get(TWO_STEP_PREFIX + r, _default(TWO_STEP_PREFIX + r))]


def set_two_step_roles(actor: User, roles: list[str]) -> int:
    """Require two-step verification for exactly these roles; one audit row per change."""
    changed = 0
    for role in ROLES:
        if two_step_required(role) != (role in roles):
            set_flag(actor, TWO_STEP_PREFIX + role, role in roles)
            changed += 1
    return changed
