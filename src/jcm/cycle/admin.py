"""The cycle in the back office: read-only views of what the services wrote (writes go through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jcm.cycle import models as m


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(m.Project)
class ProjectAdmin(ReadOnly):
    list_display = ("key", "pin_id", "project_id", "title", "pair", "state", "registered_on")
    list_filter = ("state", "pair")
    search_fields = ("key", "pin_id", "project_id", "title")


@admin.register(m.MethodologyVersion)
class MethodologyVersionAdmin(ReadOnly):
    list_display = ("methodology", "version", "state", "approved_on", "mrv_methodology_id")
    list_filter = ("state",)


@admin.register(m.MonitoringReport)
class MonitoringReportAdmin(ReadOnly):
    list_display = ("project", "number", "period_start", "period_end", "state", "emission_reductions", "claimed")
    list_filter = ("state",)


@admin.register(m.JcDecision)
class JcDecisionAdmin(ReadOnly):
    list_display = ("number", "pair", "decided_on", "mode", "title")
    list_filter = ("pair", "mode")


@admin.register(m.JcNotification)
class JcNotificationAdmin(ReadOnly):
    list_display = ("decision", "side", "registry_code", "quantity", "status", "attempts", "issued_at")
    list_filter = ("status", "side")


@admin.register(m.TransitionRecord)
class TransitionRecordAdmin(ReadOnly):
    list_display = ("at", "machine", "action", "role", "actor_label", "from_state", "to_state", "rule_set_id")
    list_filter = ("machine", "role")


@admin.register(m.Window)
class WindowAdmin(ReadOnly):
    list_display = ("key", "opens_at", "closes_at", "closed_at", "overdue_flagged_at", "rule_set_id")
    list_filter = ("key",)


@admin.register(m.DocumentVersion)
class DocumentVersionAdmin(ReadOnly):
    """No file field is shown: the admin would link the storage path. Files go through the checking views
    (the confidential one only for the assigned TPE, the JC and the secretariat)."""

    list_display = ("document", "number", "language", "submitted_at", "has_confidential")
    exclude = ("public_file", "confidential_file")
    readonly_fields = ("public_download", "confidential_note")

    @admin.display(description=_("public version"))
    def public_download(self, obj: m.DocumentVersion) -> str:
        return format_html('<a href="{}">{}</a>', reverse("cycle:public-file", args=[obj.pk]), _("download"))

    @admin.display(description=_("confidential version"))
    def confidential_note(self, obj: m.DocumentVersion) -> str:
        if not obj.has_confidential:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("cycle:confidential-file", args=[obj.pk]),
                           _("through the access check"))


@admin.register(m.Translation)
class TranslationAdmin(ReadOnly):
    list_display = ("version", "language", "submitted_at")
    exclude = ("file",)


@admin.register(m.JcMeetingReport)
class JcMeetingReportAdmin(ReadOnly):
    list_display = ("meeting", "pair", "held_on", "title")
    exclude = ("file",)


for model in (m.ChangeRequest, m.Document, m.PublicComment, m.RecordedDesignation,
              m.TpeAssignment, m.StoredRuleSet, m.CreditAllocation, m.Moc, m.Verification,
              m.IssuanceRequest, m.NoticeSent):
    admin.site.register(model, ReadOnly)
