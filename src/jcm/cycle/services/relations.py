"""Relations the core does not check: participant of this project, its focal point, its assigned TPE."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jcm.accounts.core.roles import Role
from jcm.cycle.errors import CycleError
from jcm.cycle.models import Methodology, Project, TpeAssignment
from jcm.cycle.services.common import Acting

PARTICIPANT_ROLES = frozenset({Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT})


def assigned_tpe(project: Project, function: str) -> TpeAssignment | None:
    return (
        TpeAssignment.objects.filter(project=project, function=function, ended_at__isnull=True)
        .select_related("tpe").order_by("-assigned_at", "-id").first()
    )


def check_relation(acting: Acting, project: Project, *, tpe_function: str | None = None) -> None:
    """Raise CycleError unless the actor's organisation stands in the relation its role needs to ``project``.

    Participants act for an active participant of this project; the focal point role is taken by the
    project's focal-point organisation; a TPE is the one assigned to this project for ``tpe_function``.
    JC, secretariat and registry managers need only their role in the pair (checked by ``acting_as``).
    """
    org = acting.organisation
    if acting.role in PARTICIPANT_ROLES:
        if org is None or not project.participants.filter(organisation=org, active=True).exists():
            raise CycleError("project", _("%(org)s is not a participant of %(p)s")
                             % {"org": org or "-", "p": project}, "relation")
        if acting.role is Role.FOCAL_POINT and project.focal_point_id != org.pk:
            raise CycleError("project", _("%(org)s is not the focal point of %(p)s")
                             % {"org": org, "p": project}, "relation")
    elif acting.role is Role.TPE and tpe_function is not None:
        assignment = assigned_tpe(project, tpe_function)
        if assignment is None:
            raise CycleError("tpe", _("no TPE is assigned to %(p)s for %(f)s") % {"p": project, "f": tpe_function},
                             "relation")
        if org is None or org.tpe_id != assignment.tpe.tpe_id:
            raise CycleError("tpe", _("%(org)s is not the TPE assigned to %(p)s for %(f)s")
                             % {"org": org or "-", "p": project, "f": tpe_function}, "relation")


# The actions only the proponent's organisation takes on its own proposal (any role that may propose:
# a participant, the focal point, or the JC when it proposed). A revision request may come from anyone.
PROPONENT_ACTIONS = frozenset({"submit", "resubmit", "withdraw"})


def is_proponent(organisation_id: int | None, methodology: Methodology) -> bool:
    return organisation_id is not None and organisation_id == methodology.proponent_id


def check_proponent(acting: Acting, methodology: Methodology) -> None:
    """Participants, the focal point and the JC act on a proposal as its proponent only: the actor's
    organisation must be the proponent organisation. Other roles are not concerned (CycleError otherwise)."""
    if acting.role in PARTICIPANT_ROLES | {Role.JC_MEMBER} and not is_proponent(
            acting.organisation.pk if acting.organisation else None, methodology):
        raise CycleError("methodology", _("%(org)s is not the proponent of %(m)s")
                         % {"org": acting.organisation or "-", "m": methodology}, "relation")
