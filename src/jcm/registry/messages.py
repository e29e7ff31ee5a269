"""The registry's refusal messages in the reader's language.

A core :class:`~jcm.registry.core.messages.Message` carries its English template and named
parameters; :func:`render` gives ``gettext(template) % params`` in the active language (the API: the
Accept-Language of the request; pages: the language of the URL). Anything else is returned as is.
A translation that does not fit its parameters falls back to the English text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from jcm.registry.core.messages import Message


def render(reason: Any) -> str:
    if not isinstance(reason, Message):
        return str(reason)
    translated = gettext(reason.template) if reason.template else reason.template
    if not reason.params:
        return translated
    params = {k: render(v) if isinstance(v, Message) else v for k, v in reason.params.items()}
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        return str(reason)
