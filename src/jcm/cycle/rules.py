"""`rules` predicates for the cycle's relations (objects expose ``partner_code``).

- a participant / the focal point of this project;
- the TPE assigned to this project (validation or verification);
- the JC or the secretariat of this project's pair;
- who may see a confidential document version.
"""

from __future__ import annotations

from typing import Any

import rules

from jcm.accounts.core.roles import Role
from jcm.accounts.models import Membership


def _project(obj: Any) -> Any:
    from jcm.cycle.models import ChangeRequest, MonitoringReport, Project

    if isinstance(obj, Project):
        return obj
    if isinstance(obj, MonitoringReport | ChangeRequest):
        return obj.project
    return None


def _memberships(user: Any, obj: Any, *roles: Role) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or obj is None:
        return []
    code = getattr(obj, "partner_code", None)
    qs = Membership.objects.filter(user=user, role__in=[r.value for r in roles]).select_related("organisation")
    if code:
        qs = qs.filter(pair__partner__code=code)
    return list(qs)


@rules.predicate
def is_project_participant(user: Any, obj: Any = None) -> bool:
    project = _project(obj)
    orgs = [m.organisation_id for m in _memberships(user, project, Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT)]
    return bool(orgs) and project.participants.filter(organisation_id__in=orgs, active=True).exists()


@rules.predicate
def is_focal_point(user: Any, obj: Any = None) -> bool:
    project = _project(obj)
    return any(m.organisation_id == project.focal_point_id for m in _memberships(user, project, Role.FOCAL_POINT))


@rules.predicate
def is_assigned_tpe(user: Any, obj: Any = None) -> bool:
    project = _project(obj)
    ids = [m.organisation.tpe_id for m in _memberships(user, project, Role.TPE) if m.organisation.tpe_id]
    return bool(ids) and project.tpe_assignments.filter(tpe__tpe_id__in=ids, ended_at__isnull=True).exists()


@rules.predicate
def is_pair_jc_member(user: Any, obj: Any = None) -> bool:
    return bool(_memberships(user, obj, Role.JC_MEMBER))


@rules.predicate
def is_pair_secretariat(user: Any, obj: Any = None) -> bool:
    return bool(_memberships(user, obj, Role.JC_SECRETARIAT))


@rules.predicate
def can_see_confidential_version(user: Any, version: Any = None) -> bool:
    from jcm.cycle.queries import can_see_confidential

    return version is not None and can_see_confidential(user, version)


rules.add_perm("cycle.act_as_participant", is_project_participant)
rules.add_perm("cycle.act_as_focal_point", is_focal_point)
rules.add_perm("cycle.act_as_tpe", is_assigned_tpe)
rules.add_perm("cycle.decide", is_pair_jc_member)
rules.add_perm("cycle.check_completeness", is_pair_secretariat)
rules.add_perm("cycle.view_confidential", can_see_confidential_version)
