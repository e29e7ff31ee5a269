"""Stored calculations in the back office: read-only (they are records of what was computed)."""

from django.contrib import admin

from jcm.mrv.models import Calculation


@admin.register(Calculation)
class CalculationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "kind", "jcm_id", "methodology_version", "er_total", "credits", "label", "created_at")
    list_filter = ("kind", "jcm_id")
    search_fields = ("public_id", "jcm_id", "label", "input_digest")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
