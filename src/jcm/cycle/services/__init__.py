"""Writes of the project cycle: one transaction and one audit event per regulatory action.

Every function is keyword-only, takes the injected clock ``now`` and the acting user ``actor``, and
raises :class:`jcm.cycle.errors.CycleError` (``field``, ``reason``, ``code``) with nothing written.
"""

from jcm.cycle.services.allocation import ShareInput, declare_allocation
from jcm.cycle.services.changes import act_on_change_request, create_change_request
from jcm.cycle.services.common import DecisionInput
from jcm.cycle.services.documents import publish_meeting_report, submit_document, submit_public_comment
from jcm.cycle.services.issuance import execute_notification, execute_notifications
from jcm.cycle.services.methodology import act_on_methodology, propose_methodology
from jcm.cycle.services.monitoring import act_on_report, create_monitoring_report
from jcm.cycle.services.project import (
    ParticipantInput,
    SiteInput,
    act_on_project,
    attest_no_other_mechanism,
    create_project,
    explain_double_registration,
    file_moc,
    update_project,
)
from jcm.cycle.services.tpe import assign_tpe, record_tpe_designation

__all__ = [
    "DecisionInput", "ParticipantInput", "ShareInput", "SiteInput", "act_on_change_request", "act_on_methodology",
    "act_on_project", "act_on_report", "assign_tpe", "attest_no_other_mechanism", "create_change_request",
    "create_monitoring_report", "create_project", "declare_allocation", "execute_notification",
    "execute_notifications", "explain_double_registration", "file_moc", "propose_methodology",
    "publish_meeting_report", "record_tpe_designation", "submit_document", "submit_public_comment",
    "update_project",
]
