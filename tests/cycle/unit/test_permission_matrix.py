"""The full permission matrix: every machine × every action × every role, allowed and refused.

EXPECTED is the specification, written out by hand; the first test checks the tables against it,
the second runs every one of the cells through ``apply``.
"""

from __future__ import annotations

import pytest

from jcm.accounts.core.roles import Role
from jcm.cycle.core.machine import RefusalCode
from jcm.cycle.core.transitions import MACHINES, apply, permission_matrix

from .support import happy, rule_set

PP, FP, TPE, JC, SEC = "project_participant", "focal_point", "tpe", "jc_member", "jc_secretariat"
RMJ, RMP = "registry_manager_japan", "registry_manager_partner"

EXPECTED: dict[str, dict[str, set[str]]] = {
    "methodology": {
        "submit": {PP, FP, JC}, "resubmit": {PP, FP, JC}, "mark_complete": {SEC}, "mark_incomplete": {SEC},
        "close_public_input": {SEC}, "extend_consideration": {JC}, "approve": {JC}, "approve_with_revisions": {JC},
        "not_approve": {JC}, "withdraw": {PP, FP, JC}, "request_revision": {PP, FP, JC}, "supersede": {SEC},
    },
    "project": {
        "submit_pin": {PP, FP}, "no_objection": {JC}, "object": {JC}, "prepare_pdd": {PP, FP},
        "request_reference_emissions_assessment": {PP, FP}, "publish_pdd": {TPE, SEC},
        "close_pdd_public_input": {TPE, SEC}, "validate_positive": {TPE}, "validate_negative": {TPE},
        "revise_pdd": {PP, FP}, "request_registration": {FP}, "mark_registration_complete": {SEC},
        "mark_registration_incomplete": {SEC}, "register": {JC}, "reject_registration": {JC},
        "withdraw_registration_request": {FP}, "withdraw": {PP, FP}, "submit_implementation_report": {PP, FP},
        "end_crediting": {SEC}, "renew_crediting_period": {JC}, "withdraw_project": {FP},
    },
    "issuance": {
        "submit_for_verification": {PP, FP}, "return_for_correction": {TPE}, "verify": {TPE},
        "request_issuance": {FP}, "mark_issuance_complete": {SEC}, "mark_issuance_incomplete": {SEC},
        "notify_issuance": {JC}, "reject_issuance": {JC}, "withdraw_issuance_request": {FP},
        "record_issuance_japan": {RMJ}, "record_issuance_partner": {RMP}, "withdraw": {PP, FP},
    },
    "change_request": {
        "submit": {PP, FP}, "resubmit": {PP, FP}, "mark_complete": {SEC}, "mark_incomplete": {SEC},
        "accept": {SEC}, "approve": {JC}, "reject": {JC}, "withdraw": {PP, FP},
    },
}


def test_tables_match_the_specified_matrix() -> None:
    matrix = permission_matrix()
    assert set(matrix) == set(EXPECTED)
    for machine, actions in EXPECTED.items():
        assert list(matrix[machine]) == list(actions), machine
        for action, allowed in actions.items():
            assert {role for role, ok in matrix[machine][action].items() if ok} == allowed, f"{machine}.{action}"
            assert set(matrix[machine][action]) == {r.value for r in Role}


def test_programme_managers_and_administrators_take_no_cycle_action() -> None:
    matrix = permission_matrix()
    for actions in matrix.values():
        for roles in actions.values():
            assert not roles[Role.PROGRAMME_MANAGER.value] and not roles[Role.PLATFORM_ADMIN.value]


CELLS = [
    (machine, transition, role)
    for machine in MACHINES
    for transition in {t.action: t for t in machine.transitions}.values()
    for role in Role
]


@pytest.mark.parametrize(
    ("machine", "transition", "role"), CELLS,
    ids=[f"{m.name}.{t.action}-{r.value}" for m, t, r in CELLS],
)
def test_every_cell_through_apply(machine: object, transition: object, role: Role) -> None:
    from jcm.cycle.core.machine import Machine, Transition

    assert isinstance(machine, Machine) and isinstance(transition, Transition)
    source = sorted(transition.sources)[0]
    result = apply(source, transition.action, role, happy(rule_set("default-article6.v1")))
    if role in transition.roles:
        # Allowed: it either moves or is refused for a reason other than the role.
        assert getattr(result, "code", None) is not RefusalCode.ROLE_NOT_ALLOWED
    else:
        assert getattr(result, "code", None) is RefusalCode.ROLE_NOT_ALLOWED
        assert role.value in result.reason  # type: ignore[union-attr]


def test_docs_show_the_current_matrix() -> None:
    from jcm.cycle.core.transitions import permission_matrix_markdown

    from .support import REPO

    assert permission_matrix_markdown().strip() in (REPO / "docs" / "cycle.md").read_text(encoding="utf-8")
