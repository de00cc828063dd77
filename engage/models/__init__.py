"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.insight import ApiToken, ConsultationUpdate
from engage.models.mayor import (
    MayorQuestion,
    MayorSearchTerm,
    MayorSession,
    MayorSupport,
    MayorTopic,
)
from engage.models.response import CHANNELS, FreeTextAnswer, Response
from engage.models.survey import Survey, SurveyVersion
from engage.models.user import ROLES, StaffSession, User

__all__ = [
    "CHANNELS",
    "ROLES",
    "ApiToken",
    "AuditEvent",
    "ConsultationUpdate",
    "FreeTextAnswer",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "Response",
    "StaffSession",
    "Survey",
    "SurveyVersion",
    "User",
]
