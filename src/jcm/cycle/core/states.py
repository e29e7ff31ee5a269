"""The states of the cycle's objects (jcm-rules.md §2). One enum per state machine."""

from __future__ import annotations

from enum import StrEnum


class MethodologyState(StrEnum):
    """A methodology version: a proposal ``<CC>_PM<nnn>`` or a revision of ``<CC>_AM<nnn>``."""

    DRAFT = "draft"  # M0
    COMPLETENESS_CHECK = "completeness_check"  # M1/M2: submitted, the secretariat checks
    INCOMPLETE = "incomplete"  # M2x: returned with reasons
    PUBLIC_INPUT = "public_input"  # M3
    JC_CONSIDERATION = "jc_consideration"  # M4
    APPROVED = "approved"  # M5 / M5r
    NOT_APPROVED = "not_approved"  # M6
    SUPERSEDED = "superseded"  # a later version was approved
    WITHDRAWN = "withdrawn"


class ProjectState(StrEnum):
    DRAFT = "draft"
    PIN_SUBMITTED = "pin_submitted"  # A0
    PIN_NO_OBJECTION = "pin_no_objection"  # A1
    PIN_OBJECTION = "pin_objection"  # A1x
    PDD_DRAFT = "pdd_draft"  # P0/P1
    PDD_PUBLIC_INPUT = "pdd_public_input"  # P2
    VALIDATION = "validation"  # P3
    NEGATIVE_VALIDATION = "negative_validation"  # P3x
    VALIDATED = "validated"
    REGISTRATION_COMPLETENESS_CHECK = "registration_completeness_check"  # P4/P5
    JC_REGISTRATION_CONSIDERATION = "jc_registration_consideration"  # P6
    REGISTERED = "registered"  # P7 / R0
    REJECTED = "rejected"  # P6x
    CREDITING_ENDED = "crediting_ended"  # R5
    WITHDRAWN = "withdrawn"  # R4 or withdrawn before registration


class IssuanceState(StrEnum):
    """One monitoring report, from preparation to credits issued in both registries."""

    MR_DRAFT = "mr_draft"  # I0
    VERIFICATION = "verification"  # I1
    VERIFIED = "verified"
    ISSUANCE_COMPLETENESS_CHECK = "issuance_completeness_check"  # I2/I3
    JC_ISSUANCE_CONSIDERATION = "jc_issuance_consideration"  # I4
    NOTIFIED = "notified"  # I5
    ISSUED_JAPAN = "issued_japan"  # Japan's registry has issued, the partner's not yet
    ISSUED_PARTNER = "issued_partner"  # the partner's registry has issued, Japan's not yet
    ISSUED = "issued"  # I6: both
    ISSUANCE_REJECTED = "issuance_rejected"  # I4x
    WITHDRAWN = "withdrawn"


class ChangeRequestState(StrEnum):
    """A post-registration change, an MoC change or a renewal of the crediting period."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # with the secretariat
    RETURNED = "returned"  # incomplete, returned with reasons
    JC_CONSIDERATION = "jc_consideration"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ChangeKind(StrEnum):
    POST_REGISTRATION_CHANGE = "post_registration_change"  # F_PRC_Req
    MOC_CHANGE = "moc_change"  # new MoC or its Annex 1
    RENEWAL = "renewal"  # F_Ren_Req


type State = MethodologyState | ProjectState | IssuanceState | ChangeRequestState
