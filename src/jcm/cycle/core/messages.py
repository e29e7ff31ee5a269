"""Refusal reasons that a translating layer can render in the reader's language.

The core speaks English and knows no Django. A :class:`Message` *is* the English text (a ``str``), and
also keeps the template it was made from and the named parameters, so that the Django layer renders it
as ``gettext(template) % params`` (``jcm.cycle.messages.render``). Templates are marked with :func:`N_`,
a no-op that ``makemessages --keyword=N_`` (scripts/i18n.sh) extracts.

    Message(N_("the verified amount (%(verified)s t) exceeds the claimed amount (%(claimed)s t)"),
            verified=120, claimed=100)

Parameters are values (numbers, dates as ISO text, identifiers) or other messages (rendered in turn).
"""

from __future__ import annotations

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

    @classmethod
    def joined(cls, parts: Iterable[str], separator: str = "; ") -> Message:
        """Several reasons as one message (each part rendered on its own)."""
        items = list(parts)
        if len(items) == 1 and isinstance(items[0], Message):
            return items[0]
        template = separator.join(f"%(part{i})s" for i in range(len(items)))
        return cls(template, **{f"part{i}": p for i, p in enumerate(items)})

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, object]) -> Message:
    return Message(template, **params)
