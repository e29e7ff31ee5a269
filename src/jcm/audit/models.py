"""The append-only audit trail: one event per regulatory action, written in its transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object, when, with the state before and after."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("actor"), db_index=False,
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=100)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    partner_code = models.CharField(
        _("country pair"), max_length=2, blank=True, default="", db_default="",
        help_text=_("Partner country of the pair the object belongs to, when it belongs to one"),
    )

    class Meta:
        ordering = ["at", "id"]
        # The indexes serve the two reads (``queries.trail_for`` and ``queries.recent``, with or without
        # pairs) and nothing else: every regulatory action inserts one event, so each index is paid on
        # every write (the registry's transfers among them, docs/performance.md).
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"]),
            # Only events of a pair: the registry's (public journal, no pair) get no entry in it.
            models.Index(fields=["partner_code", "at"], name="audit_pair_at", condition=Q(partner_code__gt="")),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("audit events are append-only")
