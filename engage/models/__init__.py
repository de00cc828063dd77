"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.insight import ApiToken, ConsultationUpdate
from engage.models.jobs import JOB_STATUSES, Job
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
    "JOB_STATUSES",
    "ROLES",
    "AnalysisText",
    "ApiToken",
    "AuditEvent",
    "ConsultationUpdate",
    "FreeTextAnswer",
    "InterviewerTarget",
    "Job",
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
    "WeightingRun",
]
