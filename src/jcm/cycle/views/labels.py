"""Words the pages show for the cycle's states, actions, roles and windows (translated)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

STATES = {
    # methodology
    "draft": _("draft"), "completeness_check": _("completeness check"), "incomplete": _("returned incomplete"),
    "public_input": _("public input"), "jc_consideration": _("JC consideration"), "approved": _("approved"),
    "not_approved": _("not approved"), "superseded": _("superseded"), "withdrawn": _("withdrawn"),
    # project
    "pin_submitted": _("PIN submitted"), "pin_no_objection": _("no objection to the PIN"),
    "pin_objection": _("objection to the PIN"), "pdd_draft": _("PDD in preparation"),
    "pdd_public_input": _("PDD public input"), "validation": _("validation"),
    "negative_validation": _("negative validation"), "validated": _("validated"),
    "registration_completeness_check": _("registration completeness check"),
    "jc_registration_consideration": _("JC consideration of the registration"), "registered": _("registered"),
    "rejected": _("rejected"), "crediting_ended": _("crediting period ended"),
    # issuance
    "mr_draft": _("monitoring report in preparation"), "verification": _("verification"), "verified": _("verified"),
    "issuance_completeness_check": _("issuance completeness check"),
    "jc_issuance_consideration": _("JC consideration of the issuance"), "notified": _("issuance notified"),
    "issued_japan": _("issued in Japan's registry"), "issued_partner": _("issued in the partner's registry"),
    "issued": _("issued in both registries"), "issuance_rejected": _("issuance rejected"),
    # change request
    "submitted": _("submitted"), "returned": _("returned"),
}

ACTIONS = {
    "submit": _("Submit"), "resubmit": _("Resubmit"), "mark_complete": _("Mark complete"),
    "mark_incomplete": _("Return as incomplete"), "close_public_input": _("Close the public input"),
    "extend_consideration": _("Extend the consideration"), "approve": _("Approve"),
    "approve_with_revisions": _("Approve with revisions"), "not_approve": _("Do not approve"),
    "withdraw": _("Withdraw"), "request_revision": _("Request a revision"), "supersede": _("Mark superseded"),
    "submit_pin": _("Submit the PIN"), "no_objection": _("No objection"), "object": _("Object"),
    "prepare_pdd": _("Start the PDD"),
    "request_reference_emissions_assessment": _("Request the reference emissions assessment"),
    "publish_pdd": _("Publish the PDD for public input"), "close_pdd_public_input": _("Close the PDD public input"),
    "validate_positive": _("Positive validation opinion"), "validate_negative": _("Negative validation opinion"),
    "revise_pdd": _("Revise the PDD"), "request_registration": _("Request registration"),
    "mark_registration_complete": _("Registration request complete"),
    "mark_registration_incomplete": _("Return the registration request"), "register": _("Register"),
    "reject_registration": _("Reject the registration"),
    "withdraw_registration_request": _("Withdraw the registration request"),
    "submit_implementation_report": _("Submit the implementation report"),
    "end_crediting": _("End the crediting period"), "renew_crediting_period": _("Renew the crediting period"),
    "withdraw_project": _("Withdraw the registered project"),
    "submit_for_verification": _("Submit for verification"), "return_for_correction": _("Return for correction"),
    "verify": _("Verify"), "request_issuance": _("Request issuance"),
    "mark_issuance_complete": _("Issuance request complete"),
    "mark_issuance_incomplete": _("Return the issuance request"), "notify_issuance": _("Notify the issuance"),
    "reject_issuance": _("Reject the issuance"), "withdraw_issuance_request": _("Withdraw the issuance request"),
    "record_issuance_japan": _("Issue in Japan's registry"),
    "record_issuance_partner": _("Issue in the partner's registry"),
    "accept": _("Accept"), "reject": _("Reject"),
}

KINDS = {"methodology": _("methodology"), "project": _("project"), "monitoring_report": _("monitoring report"),
         "change_request": _("change request")}

WINDOWS = {
    "methodology_completeness_check": _("completeness check"), "methodology_public_input": _("public input"),
    "methodology_jc_consideration": _("JC consideration"), "pin_jc_consideration": _("JC consideration of the PIN"),
    "pdd_public_input": _("PDD public input"), "validation": _("validation"),
    "registration_completeness_check": _("registration completeness check"),
    "registration_jc_consideration": _("JC consideration of the registration"),
    "issuance_completeness_check": _("issuance completeness check"),
    "issuance_jc_consideration": _("JC consideration of the issuance"),
}

SIDES = {"japan": _("Japan"), "partner": _("partner country")}
CHANGE_KINDS = {"post_registration_change": _("post-registration change"),
                "moc_change": _("change of the Modalities of Communication"),
                "renewal": _("renewal of the crediting period")}
FUNCTIONS = {"validation": _("validation"), "verification": _("verification")}
MODES = {"meeting": _("meeting"), "electronic": _("electronic decision")}


def state(value: str) -> Any:
    return STATES.get(value, value.replace("_", " "))


def action(value: str) -> Any:
    return ACTIONS.get(value, value.replace("_", " "))


def change_kind(value: str) -> Any:
    return CHANGE_KINDS.get(value, value.replace("_", " "))


def window(value: str) -> Any:
    return WINDOWS.get(value, value.replace("_", " "))


def role(value: str) -> Any:
    from jcm.accounts.core.roles import Role
    from jcm.accounts.models import ROLE_LABELS

    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value


def label_timeline(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for t in rows:
        t["action_label"] = action(t["action"])
        t["to_label"] = state(t["to"])
        t["role_label"] = role(t["role"])
        if t.get("actor") == "system":  # a step the clock took (closing a window), not a person
            t["actor"] = _("the system")
        if t.get("decision"):
            t["decision"]["mode_label"] = MODES.get(t["decision"]["mode"], t["decision"]["mode"])
        if t.get("window"):
            t["window"]["label"] = window(t["window"]["key"])
    return rows
