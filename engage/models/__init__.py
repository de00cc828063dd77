"""Typed SQLAlchemy models, one module per aggregate."""

from engage.models.audit import AuditEvent
from engage.models.group_sessions import GROUP_TYPES, GroupSession, GroupSessionPoint
from engage.models.imports import ResponseImport
from engage.models.insight import ApiToken, ConsultationUpdate
from engage.models.jobs import JOB_STATUSES, Job
from engage.models.mayor import (
    MayorQuestion,
    MayorSearchTerm,
    MayorSession,
    MayorSupport,
    MayorTopic,
    ServiceSetting,
)
from engage.models.plan import (
    ACTION_STATUSES,
    Plan,
    PlanAction,
    PlanIndicator,
    PlanOutcome,
    PlanPriority,
    PlanUpdate,
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
from engage.models.response import (
    ASSISTED_CHANNELS,
    CHANNELS,
    FreeTextAnswer,
    InterviewerTarget,
    PaperRekey,
    Response,
)
from engage.models.survey import Survey, SurveyDraft, SurveyVersion
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
from engage.models.throttle import SignInAttempt
from engage.models.user import ROLES, RecoveryCode, StaffSession, User
from engage.models.weighting import (
    PopulationCell,
    PopulationTarget,
    QuotaTarget,
    ResponseWeight,
    WeightingRun,
)

__all__ = [
    "ACTION_STATUSES",
    "ASSISTED_CHANNELS",
    "CHANNELS",
    "GROUP_TYPES",
    "JOB_STATUSES",
    "ROLES",
    "AnalysisText",
    "ApiToken",
    "AuditEvent",
    "BoardCriterion",
    "BoardEvent",
    "BoardItem",
    "BoardScore",
    "ConsultationUpdate",
    "FreeTextAnswer",
    "GroupSession",
    "GroupSessionPoint",
    "InterviewerTarget",
    "Job",
    "MayorQuestion",
    "MayorSearchTerm",
    "MayorSession",
    "MayorSupport",
    "MayorTopic",
    "PaperRekey",
    "Plan",
    "PlanAction",
    "PlanIndicator",
    "PlanOutcome",
    "PlanPriority",
    "PlanUpdate",
    "PopulationCell",
    "PopulationTarget",
    "PriorityBoard",
    "QuotaTarget",
    "RecoveryCode",
    "Response",
    "ResponseImport",
    "ResponseWeight",
    "RunText",
    "ServiceSetting",
    "SignInAttempt",
    "StaffSession",
    "Survey",
    "SurveyDraft",
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
    "WeightingRun",
]
