"""Monitoring report → verification → issuance request → JC notification → issued in both registries."""

from __future__ import annotations

import pytest

from jcm.accounts.core.roles import Role
from jcm.cycle.core.double_registration import DoubleRegistrationHit
from jcm.cycle.core.machine import Moved, RefusalCode
from jcm.cycle.core.periods import Period
from jcm.cycle.core.states import IssuanceState as I
from jcm.cycle.core.states import ProjectState
from jcm.cycle.core.tpe import TpeDesignation, TpeFunction
from jcm.cycle.core.transitions import apply

from .support import D, happy, refused, rule_set, step, walk

ID = rule_set("ID.v1")
TO_NOTIFIED = ["submit_for_verification", "verify", "request_issuance", "mark_issuance_complete", "notify_issuance"]


@pytest.mark.parametrize("order", [
    ["record_issuance_japan", "record_issuance_partner"],
    ["record_issuance_partner", "record_issuance_japan"],
])
def test_both_registries_issue_in_either_order(order: list[str]) -> None:
    context = happy(ID)
    state = walk(I.MR_DRAFT, TO_NOTIFIED, context)
    assert state is I.NOTIFIED
    middle = step(state, order[0], context)
    assert middle in (I.ISSUED_JAPAN, I.ISSUED_PARTNER)
    assert step(middle, order[1], context) is I.ISSUED


def test_a_side_never_issues_twice() -> None:
    context = happy(ID)
    for state, action in ((I.ISSUED_JAPAN, "record_issuance_japan"), (I.ISSUED_PARTNER, "record_issuance_partner"),
                          (I.ISSUED, "record_issuance_japan"), (I.ISSUED, "record_issuance_partner")):
        assert refused(state, action, context).code is RefusalCode.WRONG_STATE


def test_each_registry_manager_records_only_its_own_side() -> None:
    context = happy(ID)
    assert refused(I.NOTIFIED, "record_issuance_japan", context, Role.REGISTRY_MANAGER_PARTNER).code \
        is RefusalCode.ROLE_NOT_ALLOWED
    assert refused(I.NOTIFIED, "record_issuance_partner", context, Role.REGISTRY_MANAGER_JAPAN).code \
        is RefusalCode.ROLE_NOT_ALLOWED


def test_notification_is_a_decision_under_the_rule_set_in_force() -> None:
    result = apply(I.JC_ISSUANCE_CONSIDERATION, "notify_issuance", Role.JC_MEMBER, happy(ID))
    assert isinstance(result, Moved)
    assert result.rule_set_id == "ID.v1" and result.decision is not None and result.decision.number == "ID-JC-2026-E07"


def test_returns_withdrawals_and_rejection() -> None:
    context = happy(ID)
    assert step(I.VERIFICATION, "return_for_correction", context) is I.MR_DRAFT
    assert step(I.ISSUANCE_COMPLETENESS_CHECK, "mark_issuance_incomplete", context) is I.VERIFIED
    for source in (I.ISSUANCE_COMPLETENESS_CHECK, I.JC_ISSUANCE_CONSIDERATION):
        assert step(source, "withdraw_issuance_request", context) is I.VERIFIED
    assert step(I.JC_ISSUANCE_CONSIDERATION, "reject_issuance", context) is I.ISSUANCE_REJECTED
    for source in (I.MR_DRAFT, I.VERIFICATION, I.VERIFIED):
        assert step(source, "withdraw", context) is I.WITHDRAWN
    for terminal in (I.ISSUANCE_REJECTED, I.WITHDRAWN):
        assert refused(terminal, "request_issuance", context).code is RefusalCode.WRONG_STATE
    assert refused(I.VERIFICATION, "return_for_correction", happy(ID, reason="")).code is RefusalCode.GUARD


def test_monitoring_period_rules_guard_the_submission() -> None:
    overlap = happy(ID, other_monitoring_periods=(Period(D(2024, 6, 1), D(2024, 9, 1)),))
    assert "overlaps the monitoring period [2024-06-01, 2024-09-01)" in refused(
        I.MR_DRAFT, "submit_for_verification", overlap).reason
    outside = happy(ID, monitoring_period=Period(D(2030, 6, 1), D(2031, 6, 1)))
    assert "ends after the crediting period" in refused(I.MR_DRAFT, "submit_for_verification", outside).reason
    assert "give the monitoring period" in refused(I.MR_DRAFT, "submit_for_verification",
                                                   happy(ID, monitoring_period=None)).reason
    assert "claimed" in refused(I.MR_DRAFT, "submit_for_verification", happy(ID, claimed=None)).reason
    assert "MR_Sheet" in refused(I.MR_DRAFT, "submit_for_verification", happy(ID, forms_submitted=frozenset())).reason


def test_monitoring_may_start_at_operation_before_registration() -> None:
    # SA001: operating from 25 Jan 2017, registered 13 Jul 2018, first period 25 Jan 2017 - 31 Aug 2018.
    context = happy(ID, operation_started_on=D(2017, 1, 25), crediting_period=Period(D(2018, 7, 13), D(2030, 12, 31)),
                    monitoring_period=Period(D(2017, 1, 25), D(2018, 9, 1)))
    assert step(I.MR_DRAFT, "submit_for_verification", context) is I.VERIFICATION


def test_verified_amount_may_be_lower_never_higher() -> None:
    assert step(I.VERIFICATION, "verify", happy(ID, claimed=1000, verified=1000)) is I.VERIFIED
    refusal = refused(I.VERIFICATION, "verify", happy(ID, claimed=1000, verified=1001))
    assert "verified amount (1001 t) exceeds the amount claimed in the monitoring report (1000 t)" in refusal.reason
    expired = (TpeDesignation("TPE-ID-001", "ID", TpeFunction.VERIFICATION, frozenset({1}), D(2020, 1, 1),
                              D(2026, 10, 31)),)
    assert "expired on 2026-10-31" in refused(I.VERIFICATION, "verify", happy(ID, tpe_designations=expired)).reason


def test_issuance_never_exceeds_verified_reductions() -> None:
    assert "exceeds the verified reductions (900 t)" in refused(
        I.VERIFIED, "request_issuance", happy(ID, requested=901)).reason
    assert "plus the amount already requested (100 t)" in refused(
        I.VERIFIED, "request_issuance", happy(ID, requested=850, already_requested=100)).reason
    assert "notified total (901 t) exceeds the requested amount (900 t)" in refused(
        I.JC_ISSUANCE_CONSIDERATION, "notify_issuance", happy(ID, notified_japan=685)).reason
    assert "give the verified and requested amounts" in refused(
        I.JC_ISSUANCE_CONSIDERATION, "notify_issuance", happy(ID, notified_partner=None)).reason
    # The JC may decide a lower amount [K].
    assert step(I.JC_ISSUANCE_CONSIDERATION, "notify_issuance", happy(ID, notified_japan=600)) is I.NOTIFIED


@pytest.mark.parametrize("project_state", [ProjectState.WITHDRAWN, ProjectState.VALIDATED, None])
def test_no_issuance_for_a_project_not_registered(project_state: ProjectState | None) -> None:
    context = happy(ID, project_state=project_state)
    assert "not registered" in refused(I.VERIFIED, "request_issuance", context).reason
    assert "not registered" in refused(I.JC_ISSUANCE_CONSIDERATION, "notify_issuance", context).reason


def test_issuance_request_needs_attestation_allocation_and_forms() -> None:
    assert "attested" in refused(I.VERIFIED, "request_issuance", happy(ID, attested_no_other_mechanism=False)).reason
    assert "percentage of credit allocation" in refused(I.VERIFIED, "request_issuance", happy(ID, allocation=None)).reason
    refusal = refused(I.VERIFIED, "request_issuance", happy(ID, forms_submitted=frozenset(ID.forms) - {"F_SDIR"}))
    assert refusal.code is RefusalCode.MISSING_DOCUMENTS and "F_SDIR (SD Implementation Report)" in refusal.reason


def test_notification_needs_double_registration_hits_explained() -> None:
    hit = DoubleRegistrationHit("ID011", "site", "site is 12 m from ID011's site")
    assert "ID011" in refused(I.JC_ISSUANCE_CONSIDERATION, "notify_issuance",
                              happy(ID, double_registration_hits=(hit,))).reason
