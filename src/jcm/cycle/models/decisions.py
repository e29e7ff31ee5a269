"""JC decisions (numbered, dated, meeting or electronic) and JC meeting reports; the transition log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcm.cycle.models.base import Subject
from jcm.cycle.models.documents import SUBJECT_GIVEN, public_path
from jcm.reference.models import CountryPair


class DecisionMode(models.TextChoices):
    MEETING = "meeting", _("meeting")
    ELECTRONIC = "electronic", _("electronic decision")


class JcMeetingReport(models.Model):
    """The published report of a JC meeting."""

    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="jc_meeting_reports",
                             verbose_name=_("country pair"))
    meeting = models.CharField(_("meeting"), max_length=40, help_text=_("e.g. 12th JC meeting"))
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("report"), upload_to=public_path, max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["pair", "-held_on"]
        constraints = [models.UniqueConstraint(fields=["pair", "meeting"], name="cycle_unique_jc_meeting")]
        verbose_name = _("JC meeting report")
        verbose_name_plural = _("JC meeting reports")

    def __str__(self) -> str:
        return f"{self.pair.partner.code} {self.meeting}"


class JcDecision(models.Model):
    """A numbered, dated JC decision; the objects it decided point to it (and the log rows name it)."""

    pair = models.ForeignKey(CountryPair, on_delete=models.PROTECT, related_name="jc_decisions",
                             verbose_name=_("country pair"))
    number = models.CharField(_("number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    mode = models.CharField(_("mode"), max_length=12, choices=DecisionMode.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    meeting_report = models.ForeignKey(JcMeetingReport, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="decisions", verbose_name=_("meeting report"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["pair", "-decided_on", "number"]
        constraints = [models.UniqueConstraint(fields=["pair", "number"], name="cycle_unique_jc_decision")]
        verbose_name = _("JC decision")
        verbose_name_plural = _("JC decisions")

    def __str__(self) -> str:
        return f"{self.pair.partner.code} {self.number} ({self.decided_on.isoformat()})"


class TransitionRecord(Subject):
    """One step of a cycle object's state machine: who, as what, when, under which rule set, why."""

    machine = models.CharField(_("machine"), max_length=20)
    action = models.CharField(_("action"), max_length=60)
    role = models.CharField(_("role"), max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"))
    from_state = models.CharField(_("from"), max_length=40)
    to_state = models.CharField(_("to"), max_length=40)
    rule_set_id = models.CharField(_("rule set"), max_length=40)
    rule_set_digest = models.CharField(_("rule-set digest"), max_length=64)
    decision = models.ForeignKey(JcDecision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="transitions", verbose_name=_("JC decision"))
    window = models.ForeignKey("cycle.Window", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="opened_by", verbose_name=_("window opened"))
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=SUBJECT_GIVEN, name="cycle_transition_has_subject")]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.subject}: {self.action} ({self.from_state} → {self.to_state})"


class NoticeSent(models.Model):
    """An e-mail sent to a person about what awaits them; the key makes the clock idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=254)
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["email", "key"], name="cycle_notice_once")]
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")

    def __str__(self) -> str:
        return f"{self.email}: {self.key}"


__all__ = ["DecisionMode", "JcDecision", "JcMeetingReport", "NoticeSent", "TransitionRecord"]
