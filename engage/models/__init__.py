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
from engage.models.priorities import (
    BoardCriterion,
    BoardEvent,
    BoardItem,
    BoardScore,
    PriorityBoard,
    TaskGroup,
    TaskGroupMember,
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
    "BoardCriterion",
    "BoardEvent",
    "BoardItem",
    "BoardScore",
    "FreeTextAnswer",
    "Job",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "PriorityBoard",
    "Response",
    "RunText",
    "StaffSession",
    "Survey",
    "SurveyVersion",
    "TaskGroup",
    "TaskGroupMember",
    "TextFlag",
    "Theme",
    "ThemeComment",
    "ThemeEdit",
    "ThemeMembership",
    "ThemeQuote",
    "ThemeRun",
    "User",
]
