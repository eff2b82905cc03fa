"""Every domain's tables, imported in one place for Alembic (env.py) and the tests."""

from app.accounts.models import Partner, User
from app.campaigns.models import DistributionRecord
from app.curriculum.models import CurriculumModule
from app.evaluation.models import (
    AnswerCount,
    EvaluationCode,
    FeedbackDecision,
    TeacherFeedback,
    WaveCount,
)
from app.help.models import (
    Alert,
    AuditEntry,
    Conversation,
    Escalation,
    Message,
    MonthlyCount,
    Note,
    OnDuty,
    SchoolWorker,
)
from app.presentations.models import (
    Presentation,
    PresentationModule,
    PresentationPresenter,
    SchoolRequest,
)
from app.regions.models import UserRegion
from app.reports.models import ApiToken, PartnerFigure
from app.scheduling.models import Absence
from app.schools.models import (
    BellPeriod,
    ClassGroup,
    DayOff,
    School,
    SchoolYear,
    ServiceCentre,
)
from app.visits.models import (
    ClassSession,
    RecordChange,
    SessionPresenter,
    ShareToken,
    Visit,
    VisitWorker,
)

__all__ = [
    "Absence",
    "Alert",
    "AnswerCount",
    "ApiToken",
    "AuditEntry",
    "BellPeriod",
    "ClassGroup",
    "ClassSession",
    "Conversation",
    "CurriculumModule",
    "DayOff",
    "DistributionRecord",
    "Escalation",
    "EvaluationCode",
    "FeedbackDecision",
    "Message",
    "MonthlyCount",
    "Note",
    "OnDuty",
    "Partner",
    "PartnerFigure",
    "Presentation",
    "PresentationModule",
    "PresentationPresenter",
    "RecordChange",
    "School",
    "SchoolRequest",
    "SchoolWorker",
    "SchoolYear",
    "ServiceCentre",
    "SessionPresenter",
    "ShareToken",
    "TeacherFeedback",
    "User",
    "UserRegion",
    "Visit",
    "VisitWorker",
    "WaveCount",
]
