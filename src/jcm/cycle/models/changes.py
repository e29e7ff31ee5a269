"""Post-registration changes, MoC changes and renewals of the crediting period (one machine)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcm.cycle.models.base import CHANGE_KINDS, CHANGE_STATES


class ChangeRequest(models.Model):
    project = models.ForeignKey("cycle.Project", on_delete=models.PROTECT, related_name="change_requests",
                                verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=30, choices=CHANGE_KINDS)
    state = models.CharField(_("state"), max_length=20, choices=CHANGE_STATES, default="draft")
    description = models.TextField(_("description"), blank=True)
    new_crediting_start = models.DateField(_("renewed period start"), null=True, blank=True)
    new_crediting_end = models.DateField(_("renewed period end (exclusive)"), null=True, blank=True)
    decision = models.ForeignKey("cycle.JcDecision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="change_requests", verbose_name=_("JC decision"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_unique_change_number"),
            models.CheckConstraint(
                condition=Q(new_crediting_start__isnull=True) | Q(new_crediting_end__isnull=True)
                | Q(new_crediting_end__gt=models.F("new_crediting_start")),
                name="cycle_renewal_half_open",
            ),
        ]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.project} {self.kind} #{self.number}"

    @property
    def partner_code(self) -> str:
        return self.project.partner_code
