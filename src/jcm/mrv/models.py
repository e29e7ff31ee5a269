"""A stored calculation: what went in (methodology, periods, digests of every input), what came
out (the engine's result with its trace), who ran it and when. Rules live in ``core``; writes in
``services``. Quantities: RE/PE as exact Decimal strings, ER and credits as whole tonnes (ints).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Calculation(models.Model):
    """One run of the MRV engine, kept so that its report has a stable URL and can be re-checked."""

    class Kind(models.TextChoices):
        CALCULATION = "calculation", _("calculation")
        WORKBOOK_CHECK = "workbook_check", _("monitoring spreadsheet check")

    public_id = models.UUIDField(_("identifier"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CALCULATION)
    jcm_id = models.CharField(_("JCM methodology ID"), max_length=20, db_index=True)
    methodology_version = models.CharField(_("methodology version"), max_length=20)
    methodology_title = models.CharField(_("methodology title"), max_length=300)
    periods = models.JSONField(_("monitoring periods"), default=list, help_text=_("[{start, end}], half-open"))
    inputs = models.JSONField(
        _("inputs"), default=list, help_text=_("every input file and inline value set: role, name, size, SHA-256")
    )
    input_digest = models.CharField(_("input digest (SHA-256)"), max_length=64)
    submitted = models.JSONField(
        _("inline values"), null=True, blank=True, help_text=_("monitored values and parameters given in the request")
    )
    result = models.JSONField(_("result with trace"))
    differences = models.JSONField(_("spreadsheet differences"), default=list, blank=True)
    re_total = models.CharField(_("RE total (tCO2)"), max_length=120)
    pe_total = models.CharField(_("PE total (tCO2)"), max_length=120)
    er_total = models.BigIntegerField(_("ER total (tCO2)"))
    credits = models.BigIntegerField(_("credits supported"))
    label = models.CharField(_("label"), max_length=200, blank=True, help_text=_("e.g. the project reference"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("run at"))
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "published: anyone may read it. Otherwise only its creator, people of the creator's organisations, "
            "the JC and secretariat of the methodology's pair and platform administrators"
        ),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MRV calculation")
        verbose_name_plural = _("MRV calculations")
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=0), name="mrv_calculation_credits_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.jcm_id} {self.public_id}"
