"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.jobs import JOB_STATUSES, Job
from engage.models.mayor import (
    MayorQuestion,
    MayorSearchTerm,
    MayorSession,
    MayorSupport,
    MayorTopic,
)
from engage.models.response import CHANNELS, FreeTextAnswer, Response
from engage.models.survey import Survey, SurveyVersion
from engage.models.themes import (
    AnalysisText,
    RunText,
    TextFlag,
    Theme,
    ThemeComment,
    ThemeEdit,
    ThemeMembership,
    ThemeQuote,
    ThemeRun,
)
from engage.models.user import ROLES, StaffSession, User

__all__ = [
    "CHANNELS",
    "JOB_STATUSES",
    "ROLES",
    "AnalysisText",
    "AuditEvent",
    "FreeTextAnswer",
    "Job",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "Response",
    "RunText",
    "StaffSession",
    "Survey",
    "SurveyVersion",
    "TextFlag",
    "Theme",
    "ThemeComment",
    "ThemeEdit",
    "ThemeMembership",
    "ThemeQuote",
    "ThemeRun",
    "User",
]
