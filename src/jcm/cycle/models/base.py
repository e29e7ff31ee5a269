"""Shared pieces of the cycle's models: state choices and the "subject" of a log row or window."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jcm.cycle.core.states import ChangeKind, ChangeRequestState, IssuanceState, MethodologyState, ProjectState


def choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]  # type: ignore[attr-defined]


METHODOLOGY_STATES = choices(MethodologyState)
PROJECT_STATES = choices(ProjectState)
ISSUANCE_STATES = choices(IssuanceState)
CHANGE_STATES = choices(ChangeRequestState)
CHANGE_KINDS = choices(ChangeKind)


class Side(models.TextChoices):
    JAPAN = "japan", _("Japan")
    PARTNER = "partner", _("partner country")


class Subject(models.Model):
    """A row that belongs to exactly one cycle object: a methodology version, a project, a
    monitoring report or a change request (exactly one of the four is set)."""

    methodology_version = models.ForeignKey(
        "cycle.MethodologyVersion", on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss",
        verbose_name=_("methodology version"),
    )
    project = models.ForeignKey(
        "cycle.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss",
        verbose_name=_("project"),
    )
    monitoring_report = models.ForeignKey(
        "cycle.MonitoringReport", on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss",
        verbose_name=_("monitoring report"),
    )
    change_request = models.ForeignKey(
        "cycle.ChangeRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="%(class)ss",
        verbose_name=_("change request"),
    )

    class Meta:
        abstract = True

    @property
    def subject(self) -> models.Model | None:
        return self.methodology_version or self.monitoring_report or self.change_request or self.project
