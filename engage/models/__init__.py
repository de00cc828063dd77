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
from engage.models.response import (
    ASSISTED_CHANNELS,
    CHANNELS,
    FreeTextAnswer,
    InterviewerTarget,
    PaperRekey,
    Response,
)
from engage.models.survey import Survey, SurveyVersion
from engage.models.user import ROLES, StaffSession, User
from engage.models.weighting import (
    PopulationCell,
    PopulationTarget,
    QuotaTarget,
    ResponseWeight,
    WeightingRun,
)

__all__ = [
    "ASSISTED_CHANNELS",
    "CHANNELS",
    "ROLES",
    "ApiToken",
    "AuditEvent",
    "ConsultationUpdate",
    "FreeTextAnswer",
    "InterviewerTarget",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "PaperRekey",
    "PopulationCell",
    "PopulationTarget",
    "QuotaTarget",
    "Response",
    "ResponseWeight",
    "StaffSession",
    "Survey",
    "SurveyVersion",
    "User",
    "WeightingRun",
]
