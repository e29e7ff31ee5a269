"""Thin models of the project cycle, split by topic; the rules live in ``jcm.cycle.core``."""

from jcm.cycle.models.base import Side
from jcm.cycle.models.changes import ChangeRequest
from jcm.cycle.models.decisions import DecisionMode, JcDecision, JcMeetingReport, NoticeSent, TransitionRecord
from jcm.cycle.models.documents import Document, DocumentVersion, PublicComment, Translation, Window
from jcm.cycle.models.methodology import Methodology, MethodologyVersion
from jcm.cycle.models.monitoring import IssuanceRequest, JcNotification, MonitoringReport, Verification
from jcm.cycle.models.project import (
    AllocationShare,
    CreditAllocation,
    CreditingPeriod,
    DoubleRegistrationHit,
    Equipment,
    Moc,
    Project,
    ProjectParticipant,
    Site,
)
from jcm.cycle.models.rules import StoredRuleSet
from jcm.cycle.models.tpe import DesignationStatus, RecordedDesignation, TpeAssignment

__all__ = [
    "AllocationShare", "ChangeRequest", "CreditAllocation", "CreditingPeriod", "DecisionMode", "DesignationStatus",
    "Document", "DocumentVersion", "DoubleRegistrationHit", "Equipment", "IssuanceRequest", "JcDecision",
    "JcMeetingReport", "JcNotification", "Methodology", "MethodologyVersion", "Moc", "MonitoringReport",
    "NoticeSent", "Project", "ProjectParticipant", "PublicComment", "RecordedDesignation", "Side", "Site",
    "StoredRuleSet", "TpeAssignment", "TransitionRecord", "Translation", "Verification", "Window",
]
