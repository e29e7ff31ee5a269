"""Domain errors of the project cycle. Each names the field at fault and the reason."""

from __future__ import annotations

from django.utils.translation import gettext as _


class CycleError(Exception):
    """A cycle action was refused. Nothing was written.

    ``field`` names what is wrong (``state``, ``role``, ``tpe``, ``period``, ``requested``...),
    ``reason`` says why, ``code`` is the core's refusal code (``role_not_allowed``, ``guard``...)
    or a Django-layer code (``relation``, ``not_found``, ``invalid``).
    """

    def __init__(self, field: str, reason: str, code: str = "invalid") -> None:
        from jcm.cycle.messages import render

        self.field = field
        self.message = reason  # as given: a core Message keeps its template and parameters
        self.reason = render(reason)  # in the active language
        self.code = code
        super().__init__(_("%(field)s: %(reason)s") % {"field": field, "reason": self.reason})


# The field each refusal code of the core points at.
FIELD_OF_CODE = {
    "unknown_action": "action",
    "wrong_state": "state",
    "role_not_allowed": "role",
    "rule_set_mismatch": "rule_set",
    "not_in_rule_set": "action",
    "missing_documents": "documents",
    "missing_decision": "decision",
    "guard": "guard",
}
