"""Every path of the methodology machine (jcm-rules.md §2.1), and its refusals."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from jcm.accounts.core.roles import Role
from jcm.cycle.core.machine import Moved, RefusalCode
from jcm.cycle.core.states import MethodologyState as M
from jcm.cycle.core.transitions import apply

from .support import NOW, D, happy, refused, rule_set, step, walk

LEGACY = rule_set("default-legacy.v1")


def test_proposal_to_approval_and_its_revision() -> None:
    context = happy(LEGACY)
    state = walk(M.DRAFT, ["submit", "mark_complete", "close_public_input"], context)
    assert state is M.JC_CONSIDERATION
    state = step(state, "extend_consideration", context)
    assert state is M.JC_CONSIDERATION
    state = step(state, "approve", dataclasses.replace(context, consideration_extended=True))
    assert state is M.APPROVED
    assert step(state, "request_revision", context) is M.APPROVED
    assert step(state, "supersede", context) is M.SUPERSEDED


@pytest.mark.parametrize(("action", "target"), [
    ("approve", M.APPROVED), ("approve_with_revisions", M.APPROVED), ("not_approve", M.NOT_APPROVED),
])
def test_jc_outcomes_are_decisions_recorded_with_the_rule_set(action: str, target: M) -> None:
    context = happy(LEGACY)
    result = apply(M.JC_CONSIDERATION, action, Role.JC_MEMBER, context)
    assert isinstance(result, Moved)
    assert result.to_state is target
    assert result.decision == context.decision
    assert result.rule_set_id == "default-legacy.v1"
    assert result.rule_set_digest == LEGACY.digest


def test_incomplete_submission_is_returned_and_resubmitted() -> None:
    context = happy(LEGACY)
    state = walk(M.DRAFT, ["submit", "mark_incomplete"], context)
    assert state is M.INCOMPLETE
    assert walk(state, ["resubmit", "mark_complete"], context) is M.PUBLIC_INPUT


@pytest.mark.parametrize("source", [M.DRAFT, M.COMPLETENESS_CHECK, M.INCOMPLETE, M.PUBLIC_INPUT, M.JC_CONSIDERATION])
def test_proponent_may_withdraw_before_the_decision(source: M) -> None:
    assert step(source, "withdraw", happy(LEGACY)) is M.WITHDRAWN


@pytest.mark.parametrize("terminal", [M.NOT_APPROVED, M.SUPERSEDED, M.WITHDRAWN])
def test_terminal_states_offer_nothing(terminal: M) -> None:
    for action in ("submit", "withdraw", "approve", "request_revision"):
        assert refused(terminal, action, happy(LEGACY)).code is RefusalCode.WRONG_STATE


def test_submitted_window_opens_each_deadline() -> None:
    context = happy(LEGACY)
    opened = {}
    for state, action in [(M.DRAFT, "submit"), (M.COMPLETENESS_CHECK, "mark_complete"),
                          (M.PUBLIC_INPUT, "close_public_input"), (M.JC_CONSIDERATION, "extend_consideration")]:
        result = apply(state, action, Role.JC_MEMBER if action == "extend_consideration" else
                       (Role.JC_SECRETARIAT if action != "submit" else Role.PROJECT_PARTICIPANT), context)
        assert isinstance(result, Moved)
        opened[action] = (result.opens_window, result.extends_window)
    assert opened == {
        "submit": ("methodology_completeness_check", False),
        "mark_complete": ("methodology_public_input", False),
        "close_public_input": ("methodology_jc_consideration", False),
        "extend_consideration": ("methodology_jc_consideration", True),
    }


def test_public_input_cannot_close_before_its_window_ends() -> None:
    closes = NOW + datetime.timedelta(hours=1)
    refusal = refused(M.PUBLIC_INPUT, "close_public_input", happy(LEGACY, window_closes_at=closes))
    assert refusal.code is RefusalCode.GUARD
    assert "open until" in refusal.reason
    assert "no recorded closing time" in refused(M.PUBLIC_INPUT, "close_public_input",
                                                 happy(LEGACY, window_closes_at=None)).reason


def test_consideration_is_extended_once_and_only_where_the_rule_set_allows() -> None:
    assert "already been extended to 90 days" in refused(
        M.JC_CONSIDERATION, "extend_consideration", happy(LEGACY, consideration_extended=True)).reason
    rule = dataclasses.replace(LEGACY.deadline("methodology_jc_consideration"), extendable_to=None)
    no_extension = dataclasses.replace(LEGACY, deadlines={**LEGACY.deadlines, "methodology_jc_consideration": rule})
    assert "does not allow extending" in refused(
        M.JC_CONSIDERATION, "extend_consideration", happy(no_extension)).reason


def test_refusals_name_the_reason() -> None:
    context = happy(LEGACY)
    assert refused(M.DRAFT, "publish", context, Role.JC_SECRETARIAT).code is RefusalCode.UNKNOWN_ACTION
    wrong = refused(M.DRAFT, "approve", context)
    assert wrong.code is RefusalCode.WRONG_STATE and "possible from: jc_consideration" in wrong.reason
    role = refused(M.JC_CONSIDERATION, "approve", context, Role.PROJECT_PARTICIPANT)
    assert role.code is RefusalCode.ROLE_NOT_ALLOWED and "allowed: jc_member" in role.reason
    assert refused(M.COMPLETENESS_CHECK, "mark_incomplete", happy(LEGACY, reason=" ")).code is RefusalCode.GUARD
    assert "later version" in refused(M.APPROVED, "supersede", happy(LEGACY, successor_approved=False)).reason


def test_submission_needs_the_forms_of_the_rule_set() -> None:
    refusal = refused(M.DRAFT, "submit", happy(LEGACY, forms_submitted=frozenset({"F_PM"})))
    assert refusal.code is RefusalCode.MISSING_DOCUMENTS
    assert "F_PMS (Proposed Methodology Spreadsheet)" in refusal.reason
    assert "F_AMR_Req" in refused(M.APPROVED, "request_revision", happy(LEGACY, forms_submitted=frozenset())).reason


def test_viet_nam_needs_vietnamese_reference_translations() -> None:
    vn = rule_set("VN.v1")
    refusal = refused(M.DRAFT, "submit", happy(vn, translations_submitted=frozenset({("F_PM", "vi")})))
    assert refusal.code is RefusalCode.MISSING_DOCUMENTS
    assert "F_PMS in vi" in refusal.reason
    assert step(M.DRAFT, "submit", happy(vn)) is M.COMPLETENESS_CHECK


def test_decisions_need_a_numbered_record_not_dated_in_the_future() -> None:
    context = happy(LEGACY)
    assert refused(M.JC_CONSIDERATION, "approve", happy(LEGACY, decision=None)).code is RefusalCode.MISSING_DECISION
    assert context.decision is not None
    blank = dataclasses.replace(context.decision, number=" ")
    assert "no number" in refused(M.JC_CONSIDERATION, "approve", happy(LEGACY, decision=blank)).reason
    future = dataclasses.replace(context.decision, decided_on=D(2026, 11, 2))
    assert "after today" in refused(M.JC_CONSIDERATION, "approve", happy(LEGACY, decision=future)).reason
