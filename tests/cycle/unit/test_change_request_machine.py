"""Post-registration changes, MoC changes and renewals of the crediting period (jcm-rules.md §1.4, §2.4)."""

from __future__ import annotations

import dataclasses

import pytest

from jcm.accounts.core.roles import Role
from jcm.cycle.core.machine import Moved, RefusalCode
from jcm.cycle.core.periods import Period
from jcm.cycle.core.rulesets import RuleSet, Tagged
from jcm.cycle.core.states import ChangeKind as K
from jcm.cycle.core.states import ChangeRequestState as C
from jcm.cycle.core.states import ProjectState
from jcm.cycle.core.transitions import apply

from .support import D, happy, refused, rule_set, step, walk

LEGACY = rule_set("TH.v2")
ART6 = rule_set("GE.v1")


def _moc_by_jc(rules: RuleSet) -> RuleSet:
    params = dataclasses.replace(rules.parameters, moc_change_accepted_by=Tagged("jc", "K", "test"))
    return dataclasses.replace(rules, parameters=params)


@pytest.mark.parametrize("rules", [LEGACY, ART6], ids=["legacy", "article6"])
def test_post_registration_change_is_decided_by_the_jc(rules: RuleSet) -> None:
    context = happy(rules, change_kind=K.POST_REGISTRATION_CHANGE)
    assert walk(C.DRAFT, ["submit", "mark_complete", "approve"], context) is C.APPROVED
    assert step(C.JC_CONSIDERATION, "reject", context) is C.REJECTED


def test_windows_opened_follow_the_kind() -> None:
    for kind, check, jc in ((K.POST_REGISTRATION_CHANGE, "post_registration_change_completeness_check",
                             "post_registration_change_jc_consideration"),
                            (K.RENEWAL, "renewal_completeness_check", "renewal_jc_consideration")):
        context = happy(ART6, change_kind=kind)
        submitted = apply(C.DRAFT, "submit", Role.FOCAL_POINT, context)
        forwarded = apply(C.SUBMITTED, "mark_complete", Role.JC_SECRETARIAT, context)
        assert isinstance(submitted, Moved) and isinstance(forwarded, Moved)
        assert (submitted.opens_window, forwarded.opens_window) == (check, jc)


def test_moc_change_is_accepted_by_the_secretariat_where_the_rule_set_says_so() -> None:
    context = happy(LEGACY, change_kind=K.MOC_CHANGE)
    assert walk(C.DRAFT, ["submit", "accept"], context) is C.APPROVED
    assert "accepts MoC changes itself" in refused(C.SUBMITTED, "mark_complete", context).reason
    by_jc = happy(_moc_by_jc(LEGACY), change_kind=K.MOC_CHANGE)
    assert "decided by the JC" in refused(C.SUBMITTED, "accept", by_jc).reason
    assert walk(C.SUBMITTED, ["mark_complete", "approve"], by_jc) is C.APPROVED
    assert "decided by the JC" in refused(C.SUBMITTED, "accept", happy(LEGACY)).reason


def test_moc_change_needs_the_moc_form() -> None:
    context = happy(LEGACY, change_kind=K.MOC_CHANGE, forms_submitted=frozenset({"F_PRC_Req"}))
    assert "F_MoC" in refused(C.DRAFT, "submit", context).reason


def test_renewal_only_where_the_rule_set_provides_it_and_before_the_end() -> None:
    assert step(C.DRAFT, "submit", happy(ART6, change_kind=K.RENEWAL)) is C.SUBMITTED
    assert "has no renewal" in refused(C.DRAFT, "submit", happy(LEGACY, change_kind=K.RENEWAL)).reason
    late = happy(ART6, change_kind=K.RENEWAL, crediting_period=Period(D(2020, 1, 1), D(2026, 11, 1)))
    assert "before the crediting period ends (2026-11-01)" in refused(C.DRAFT, "submit", late).reason
    ended = happy(ART6, change_kind=K.RENEWAL, project_state=ProjectState.CREDITING_ENDED)
    assert "before the crediting period ends" in refused(C.DRAFT, "submit", ended).reason
    assert "F_Ren_Req" in refused(C.DRAFT, "submit", happy(ART6, change_kind=K.RENEWAL,
                                                           forms_submitted=frozenset())).reason
    bad_period = happy(ART6, change_kind=K.RENEWAL, new_crediting_period=Period(D(2030, 1, 1), D(2035, 1, 1)))
    assert "must start when the current one ends" in refused(C.JC_CONSIDERATION, "approve", bad_period).reason


def test_changes_are_for_registered_projects() -> None:
    context = happy(LEGACY, project_state=ProjectState.VALIDATED)
    assert "not registered" in refused(C.DRAFT, "submit", context).reason
    assert "say what the request changes" in refused(C.DRAFT, "submit", happy(LEGACY, change_kind=None)).reason
    for action, state in (("mark_complete", C.SUBMITTED), ("accept", C.SUBMITTED), ("approve", C.JC_CONSIDERATION)):
        assert "say what the request changes" in refused(state, action, happy(LEGACY, change_kind=None)).reason


def test_returned_resubmitted_and_withdrawn() -> None:
    context = happy(LEGACY)
    assert walk(C.DRAFT, ["submit", "mark_incomplete", "resubmit"], context) is C.SUBMITTED
    assert refused(C.SUBMITTED, "mark_incomplete", happy(LEGACY, reason="")).code is RefusalCode.GUARD
    for source in (C.DRAFT, C.SUBMITTED, C.RETURNED, C.JC_CONSIDERATION):
        assert step(source, "withdraw", context) is C.WITHDRAWN
    for terminal in (C.APPROVED, C.REJECTED, C.WITHDRAWN):
        assert refused(terminal, "withdraw", context).code is RefusalCode.WRONG_STATE
