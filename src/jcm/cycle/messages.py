"""The core's refusal reasons in the reader's language.

A core :class:`~jcm.cycle.core.messages.Message` carries its English template and named parameters;
:func:`render` gives ``gettext(template) % params`` in the active language, parameters that are messages
rendered in turn. Anything else (a plain string) is returned unchanged. A translation that does not fit
its parameters falls back to the English text rather than failing the request.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from jcm.cycle.core.messages import Message


def render(reason: Any) -> str:
    if not isinstance(reason, Message):
        return str(reason)
    params = {k: render(v) if isinstance(v, Message) else v for k, v in reason.params.items()}
    translated = gettext(reason.template) if reason.template else reason.template
    if not params:
        return translated
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        return str(reason)
