"""Refusal messages that the Django layer renders in the reader's language.

The core speaks English and knows no Django. A :class:`Message` *is* the English text (a ``str``)
and also keeps the template it was made from and its named parameters, so that
``jcm.registry.messages.render`` gives ``gettext(template) % params`` in the active language.
Templates are marked with :func:`N_`, a no-op that ``scripts/makemessages.py --keyword=N_`` extracts
into the registry's catalogue (``src/jcm/registry/locale``).

    Message(N_("account %(account)s holds %(available)s credits, %(quantity)s requested"),
            account="JP-GOV", available=3, quantity=5)
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def N_(template: str) -> str:
    """Mark ``template`` for extraction into the message catalogue; returns it unchanged."""
    return template


class Message(str):
    """English text of a refusal, with its ``template`` and ``params`` for translation."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        text = template % {k: str(v) for k, v in params.items()} if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = dict(params)
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, object]) -> Message:
    return Message(template, **params)


def as_message(text: str) -> Message:
    """``text`` itself if it is a Message, else a Message whose template is the text (untranslated
    unless the text is in the catalogue)."""
    return text if isinstance(text, Message) else Message(text)


def parse(text: str, templates: Iterable[str]) -> Message:
    """The Message among ``templates`` whose English rendering is ``text`` (parameters recovered);
    ``as_message(text)`` if none fits. Used for messages written by SQL (the fast path)."""
    for template in templates:
        names = re.findall(r"%\(([a-z_0-9]+)\)s", template)
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape(f"%({name})s"), f"(?P<{name}>.+?)", 1)
        found = re.fullmatch(pattern, text, flags=re.DOTALL)
        if found is not None:
            return Message(template, **{n: found.group(n) for n in names})
    return as_message(text)
