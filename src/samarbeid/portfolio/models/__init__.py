from .agreements import (
    Agreement,
    AgreementAlert,
    AgreementVersion,
    ConsultationInput,
    CouncilDecision,
)
from .bodies import (
    BodyMember,
    CooperationBody,
    Decision,
    FocusArea,
    GoverningBody,
    GoverningMember,
    Network,
    SecretariatStaff,
)
from .history import PortfolioChange
from .plans import (
    ActionPlan,
    Benefit,
    FundingApplication,
    MeasureCatalogue,
    Milestone,
    Participation,
    PlanProject,
    PlanSection,
    Project,
    StatusReport,
)
from .roles import BodyRole

__all__ = [
    "ActionPlan",
    "Agreement",
    "AgreementAlert",
    "AgreementVersion",
    "Benefit",
    "BodyMember",
    "BodyRole",
    "ConsultationInput",
    "CooperationBody",
    "CouncilDecision",
    "Decision",
    "FocusArea",
    "FundingApplication",
    "GoverningBody",
    "GoverningMember",
    "MeasureCatalogue",
    "Milestone",
    "Network",
    "Participation",
    "PlanProject",
    "PlanSection",
    "PortfolioChange",
    "Project",
    "SecretariatStaff",
    "StatusReport",
]
