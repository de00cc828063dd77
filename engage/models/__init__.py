"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.mayor import (
    MayorQuestion,
    MayorSearchTerm,
    MayorSession,
    MayorSupport,
    MayorTopic,
)
from engage.models.user import ROLES, StaffSession, User

__all__ = [
    "ROLES",
    "AuditEvent",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "StaffSession",
    "User",
]
