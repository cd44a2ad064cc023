from .agreements import Agreement, AgreementVersion, ConsultationInput, CouncilDecision
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
    FundingApplication,
    MeasureCatalogue,
    Milestone,
    Participation,
    PlanProject,
    PlanSection,
    Project,
    StatusReport,
)

__all__ = [
    "ActionPlan",
    "Agreement",
    "AgreementVersion",
    "BodyMember",
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
