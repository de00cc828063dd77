"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.group_sessions import GROUP_TYPES, GroupSession, GroupSessionPoint
from engage.models.imports import ResponseImport
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
from engage.models.survey import Survey, SurveyDraft, SurveyVersion
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
    "GROUP_TYPES",
    "ROLES",
    "AuditEvent",
    "FreeTextAnswer",
    "GroupSession",
    "GroupSessionPoint",
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
    "ResponseImport",
    "ResponseWeight",
    "StaffSession",
    "Survey",
    "SurveyDraft",
    "SurveyVersion",
    "User",
    "WeightingRun",
]
