"""Writing the audit trail (S18)."""

from __future__ import annotations

from typing import Any

from engage.extensions import db
from engage.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None = None,
    actor_label: str = "",
    object_type: str = "",
    object_id: str | int = "",
    ip_address: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit row to the current transaction; the caller's commit writes it."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=ip_address[:64],
        detail=detail or {},
    )
    db.session.add(event)
    return event
