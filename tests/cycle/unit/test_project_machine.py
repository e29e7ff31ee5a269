"""Every path of the project machine (jcm-rules.md §2.2-§2.4), legacy and Article 6, and its refusals."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from jcm.accounts.core.roles import Role
from jcm.cycle.core.credits import AllocationShare, CreditAllocation, Side
from jcm.cycle.core.double_registration import DoubleRegistrationHit
from jcm.cycle.core.machine import Moved, RefusalCode
from jcm.cycle.core.periods import Period
from jcm.cycle.core.states import ProjectState as P
from jcm.cycle.core.tpe import DesignationStatus, TpeDesignation, TpeFunction
from jcm.cycle.core.transitions import apply, offered_actions

from .support import D, happy, refused, rule_set, step, walk

LEGACY = rule_set("MN.v1")
ART6 = rule_set("UZ.v1")

TO_VALIDATED = ["publish_pdd", "close_pdd_public_input", "validate_positive"]
TO_REGISTERED = ["request_registration", "mark_registration_complete", "register"]


def test_legacy_project_from_pdd_to_registration_and_withdrawal() -> None:
    context = happy(LEGACY)
    state = walk(P.DRAFT, ["prepare_pdd", *TO_VALIDATED, *TO_REGISTERED], context)
    assert state is P.REGISTERED
    ended = happy(LEGACY, crediting_period=Period(D(2024, 1, 1), D(2026, 1, 1)))
    assert step(state, "end_crediting", ended) is P.CREDITING_ENDED
    assert step(P.CREDITING_ENDED, "withdraw_project", context) is P.WITHDRAWN


def test_article6_project_from_pin_to_renewal() -> None:
    context = happy(ART6)
    state = walk(P.DRAFT, ["submit_pin", "no_objection", "prepare_pdd", "request_reference_emissions_assessment",
                           *TO_VALIDATED, *TO_REGISTERED, "submit_implementation_report"], context)
    assert state is P.REGISTERED
    ended = happy(ART6, crediting_period=Period(D(2024, 1, 1), D(2026, 1, 1)),
                  new_crediting_period=Period(D(2026, 1, 1), D(2036, 1, 1)))
    state = step(state, "end_crediting", ended)
    assert state is P.CREDITING_ENDED
    assert step(state, "renew_crediting_period", ended) is P.REGISTERED
    assert step(P.REGISTERED, "renew_crediting_period", context) is P.REGISTERED


def test_the_jc_may_object_to_a_pin() -> None:
    assert step(P.PIN_SUBMITTED, "object", happy(ART6)) is P.PIN_OBJECTION
    assert refused(P.PIN_SUBMITTED, "object", happy(ART6, reason="")).code is RefusalCode.GUARD
    assert refused(P.PIN_OBJECTION, "prepare_pdd", happy(ART6)).code is RefusalCode.WRONG_STATE


def test_pin_steps_follow_the_generation() -> None:
    pin = refused(P.DRAFT, "submit_pin", happy(LEGACY))
    assert pin.code is RefusalCode.NOT_IN_RULE_SET and "MN.v1 (legacy) has no pin no objection step" in pin.reason
    skip = refused(P.DRAFT, "prepare_pdd", happy(ART6))
    assert skip.code is RefusalCode.GUARD and "requires a PIN with the JC's no-objection" in skip.reason
    for action in ("request_reference_emissions_assessment",):
        assert refused(P.PDD_DRAFT, action, happy(LEGACY)).code is RefusalCode.NOT_IN_RULE_SET
    assert refused(P.REGISTERED, "submit_implementation_report", happy(LEGACY)).code is RefusalCode.NOT_IN_RULE_SET
    assert refused(P.REGISTERED, "renew_crediting_period", happy(LEGACY)).code is RefusalCode.NOT_IN_RULE_SET


def test_offered_actions_depend_on_role_and_generation() -> None:
    assert offered_actions(P.DRAFT, Role.FOCAL_POINT, ART6) == ("submit_pin", "prepare_pdd", "withdraw")
    assert offered_actions(P.DRAFT, Role.FOCAL_POINT, LEGACY) == ("prepare_pdd", "withdraw")
    assert offered_actions(P.DRAFT, Role.TPE, LEGACY) == ()
    assert offered_actions(P.VALIDATED, Role.FOCAL_POINT, LEGACY) == ("request_registration", "withdraw")


def test_negative_validation_goes_back_to_the_pdd() -> None:
    context = happy(LEGACY)
    assert step(P.VALIDATION, "validate_negative", context) is P.NEGATIVE_VALIDATION
    assert step(P.NEGATIVE_VALIDATION, "revise_pdd", context) is P.PDD_DRAFT


def test_registration_request_is_returned_withdrawn_or_rejected() -> None:
    context = happy(LEGACY)
    assert step(P.REGISTRATION_COMPLETENESS_CHECK, "mark_registration_incomplete", context) is P.VALIDATED
    for source in (P.REGISTRATION_COMPLETENESS_CHECK, P.JC_REGISTRATION_CONSIDERATION):
        assert step(source, "withdraw_registration_request", context) is P.VALIDATED
    assert step(P.JC_REGISTRATION_CONSIDERATION, "reject_registration", context) is P.REJECTED
    missing = refused(P.JC_REGISTRATION_CONSIDERATION, "withdraw_registration_request",
                      happy(LEGACY, forms_submitted=frozenset()))
    assert missing.code is RefusalCode.MISSING_DOCUMENTS and "F_RW_Req" in missing.reason


@pytest.mark.parametrize("source", [
    P.DRAFT, P.PIN_SUBMITTED, P.PIN_NO_OBJECTION, P.PIN_OBJECTION, P.PDD_DRAFT, P.PDD_PUBLIC_INPUT,
    P.VALIDATION, P.NEGATIVE_VALIDATION, P.VALIDATED,
])
def test_participants_may_withdraw_at_each_stage_before_registration(source: P) -> None:
    assert step(source, "withdraw", happy(ART6)) is P.WITHDRAWN


@pytest.mark.parametrize("source", [P.REGISTRATION_COMPLETENESS_CHECK, P.JC_REGISTRATION_CONSIDERATION, P.REGISTERED])
def test_plain_withdrawal_is_not_offered_once_registration_is_requested(source: P) -> None:
    assert refused(source, "withdraw", happy(ART6)).code is RefusalCode.WRONG_STATE


@pytest.mark.parametrize("terminal", [P.REJECTED, P.WITHDRAWN])
def test_terminal_project_states(terminal: P) -> None:
    for action in ("register", "withdraw", "withdraw_project", "renew_crediting_period", "prepare_pdd"):
        assert refused(terminal, action, happy(ART6)).code is RefusalCode.WRONG_STATE


def test_pdd_publication_and_validation_need_an_eligible_tpe() -> None:
    withdrawn = (TpeDesignation("TPE-MN-001", "MN", TpeFunction.VALIDATION, frozenset({1}), D(2020, 1, 1), None,
                                DesignationStatus.WITHDRAWN, D(2025, 3, 1)),)
    for state, action in ((P.PDD_DRAFT, "publish_pdd"), (P.VALIDATION, "validate_positive"),
                          (P.VALIDATION, "validate_negative")):
        refusal = refused(state, action, happy(LEGACY, tpe_designations=withdrawn))
        assert refusal.code is RefusalCode.GUARD
        assert refusal.reason.endswith("withdrawn since 2025-03-01")
    assert "no TPE is assigned" in refused(P.PDD_DRAFT, "publish_pdd", happy(LEGACY, tpe_id=None)).reason
    verification_only = happy(LEGACY, sectoral_scopes=(14,))
    assert "sectoral scope 14" in refused(P.VALIDATION, "validate_positive", verification_only).reason


def test_pdd_window_is_half_open() -> None:
    from .support import NOW

    # The window [opens, closes) has closed at exactly its closing instant, not a second before.
    assert step(P.PDD_PUBLIC_INPUT, "close_pdd_public_input", happy(LEGACY, window_closes_at=NOW)) is P.VALIDATION
    early = refused(P.PDD_PUBLIC_INPUT, "close_pdd_public_input",
                    happy(LEGACY, window_closes_at=NOW + datetime.timedelta(seconds=1)))
    assert early.code is RefusalCode.GUARD and "open until" in early.reason


def test_registration_request_checks() -> None:
    assert "attested" in refused(P.VALIDATED, "request_registration",
                                 happy(LEGACY, attested_no_other_mechanism=False)).reason
    # Article 6: the credit allocation form and valid percentages are required.
    assert "F_Crd_Allc" in refused(P.VALIDATED, "request_registration",
                                   happy(ART6, forms_submitted=frozenset(ART6.forms) - {"F_Crd_Allc"})).reason
    assert "percentage of credit allocation" in refused(P.VALIDATED, "request_registration",
                                                        happy(ART6, allocation=None)).reason
    bad = CreditAllocation((AllocationShare("Government of Japan", Side.JAPAN, Decimal(60)),
                            AllocationShare("Partner Power Co", Side.PARTNER, Decimal(30))))
    assert "sum to 90" in refused(P.VALIDATED, "request_registration", happy(ART6, allocation=bad)).reason
    # Legacy: no allocation is needed.
    assert step(P.VALIDATED, "request_registration", happy(LEGACY, allocation=None)) is P.REGISTRATION_COMPLETENESS_CHECK
    # Legacy crediting periods end by 2030 [K], and operation must start from 2013 [K].
    too_long = happy(LEGACY, crediting_period=Period(D(2024, 1, 1), D(2032, 1, 1)))
    assert "latest end the rule set allows (2030-12-31)" in refused(P.VALIDATED, "request_registration", too_long).reason
    early = happy(LEGACY, operation_started_on=D(2012, 6, 1), crediting_period=Period(D(2012, 6, 1), D(2020, 1, 1)))
    assert "before the eligible start date 2013-01-01" in refused(P.VALIDATED, "request_registration", early).reason
    assert "give the crediting period" in refused(P.VALIDATED, "request_registration",
                                                  happy(LEGACY, crediting_period=None)).reason


def test_registration_needs_double_registration_hits_explained() -> None:
    hit = DoubleRegistrationHit("MN003", "equipment", "equipment identifiers shared with MN003: INV-1")
    refusal = refused(P.JC_REGISTRATION_CONSIDERATION, "register",
                      happy(LEGACY, double_registration_hits=(hit,)))
    assert refusal.code is RefusalCode.GUARD and "shared with MN003: INV-1" in refusal.reason
    explained = happy(LEGACY, double_registration_hits=(hit,), hits_explained=True)
    result = apply(P.JC_REGISTRATION_CONSIDERATION, "register", Role.JC_MEMBER, explained)
    assert isinstance(result, Moved) and result.decision is not None and result.rule_set_id == "MN.v1"


def test_crediting_end_and_renewal_refusals() -> None:
    assert "has not ended" in refused(P.REGISTERED, "end_crediting", happy(ART6)).reason
    assert "no crediting period" in refused(P.REGISTERED, "end_crediting", happy(ART6, crediting_period=None)).reason
    gap = happy(ART6, new_crediting_period=Period(D(2031, 2, 1), D(2036, 1, 1)))
    assert "must start when the current one ends (2031-01-01)" in refused(P.REGISTERED, "renew_crediting_period", gap).reason
    limited = dataclasses.replace(ART6, parameters=dataclasses.replace(
        ART6.parameters,
        crediting_period_max_renewals=dataclasses.replace(ART6.parameters.crediting_period_max_renewals, value=1),
    ))
    assert "renewed 1 times; the rule set allows 1" in refused(
        P.REGISTERED, "renew_crediting_period", happy(limited, renewals_used=1)).reason
    assert "give the current and the renewed" in refused(
        P.REGISTERED, "renew_crediting_period", happy(ART6, new_crediting_period=None)).reason


def test_rule_set_must_be_the_pairs() -> None:
    refusal = refused(P.DRAFT, "prepare_pdd", happy(LEGACY, partner_code="TH"))
    assert refusal.code is RefusalCode.RULE_SET_MISMATCH
    assert "MN.v1 is for JP-MN, not JP-TH" in refusal.reason
