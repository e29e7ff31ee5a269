"""E-mails of the cycle: credits issued to the participants, and "what awaits you" to each actor.

Each notice is sent once per (address, key): :class:`NoticeSent` rows make re-runs idempotent.
Mail goes through Django's mail backend (the ``MAILERS`` setting)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jcm.cycle.models import JcNotification, MonitoringReport, NoticeSent


def bilingual(render: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """A notice in Japanese and English, whoever receives it: ``render`` builds (subject, body)
    with ``gettext`` and is called once per language."""
    with translation.override("ja"):
        subject_ja, body_ja = render()
    with translation.override("en"):
        subject_en, body_en = render()
    return f"{subject_ja} / {subject_en}", f"{body_ja}\n\n----------\n\n{body_en}"


def send_once(*, email: str, key: str, subject: str, body: str, now: datetime.datetime, user: object = None) -> bool:
    """Send one e-mail unless this address already got ``key``. Returns whether it was sent."""
    if not email:
        return False
    try:
        with transaction.atomic():
            NoticeSent.objects.create(user=user, email=email, key=key[:200], subject=subject[:300], sent_at=now)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except IntegrityError:
        return False
    return True


def notify_issued(*, report_id: int, now: datetime.datetime) -> int:
    """Tell every active participant of the project what each side issued for this monitoring report."""
    r = MonitoringReport.objects.select_related("project").get(pk=report_id)
    notifications = list(JcNotification.objects.filter(request__report=r).order_by("side"))

    def render() -> tuple[str, str]:
        lines = [
            _("%(side)s: %(q)s t issued, serials %(s)s") % {"side": n.side, "q": n.quantity, "s": n.serials}
            for n in notifications
        ]
        subject = _("Credits issued for %(p)s, monitoring period %(period)s") % {
            "p": r.project, "period": r.period_label}
        return subject, "\n".join(lines)

    subject, body = bilingual(render)
    sent = 0
    for address in _participant_addresses(r):
        sent += send_once(email=address, key=f"issued:{r.pk}", subject=subject, body=body, now=now)
    JcNotification.objects.filter(request__report=r, participants_notified_at__isnull=True).update(
        participants_notified_at=now)
    return sent


def _participant_addresses(r: MonitoringReport) -> Iterable[str]:
    emails = {x for x in r.project.participants.filter(active=True).values_list("contact_email", flat=True) if x}
    return sorted(emails)


def notify_awaiting(*, now: datetime.datetime) -> int:
    """E-mail each person the items that await them (once per item and state)."""
    from django.contrib.auth import get_user_model

    from jcm.cycle.queries import awaiting

    sent = 0
    users = get_user_model().objects.filter(memberships__isnull=False, is_active=True).exclude(email="").distinct()
    for user in users.order_by("pk"):
        for item in awaiting(user, now=now):
            ready = [o.action for o in item.actions if o.allowed]
            if not ready:
                continue
            key = f"await:{item.kind}:{item.id}:{item.state}:{item.role}"

            def render(item: object = item, ready: list[str] = ready) -> tuple[str, str]:
                subject = _("Awaiting you: %(label)s (%(state)s)") % {"label": item.label, "state": item.state}  # type: ignore[attr-defined]
                body = _("As %(role)s you may now: %(actions)s") % {"role": item.role, "actions": ", ".join(ready)}  # type: ignore[attr-defined]
                if item.due:  # type: ignore[attr-defined]
                    body += "\n" + _("Due: %(due)s") % {"due": item.due.isoformat()}  # type: ignore[attr-defined]
                return subject, body

            subject, body = bilingual(render)
            sent += send_once(email=user.email, key=key, subject=subject, body=body, now=now, user=user)
    return sent
