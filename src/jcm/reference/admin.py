"""Reference data in the back office: read-only, because it is loaded from versioned files
(`jcm reference load`), so that every change is reviewed, versioned and audited."""

from django.contrib import admin

from jcm.reference import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(m.Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_en", "name_ja", "partner_order", "signed_on", "confidence")
    search_fields = ("code", "name_en", "name_ja")


@admin.register(m.CountryPair)
class CountryPairAdmin(ReadOnlyAdmin):
    list_display = ("partner", "generation", "first_jc_on", "confidence")
    list_filter = ("generation",)


@admin.register(m.Tpe)
class TpeAdmin(ReadOnlyAdmin):
    list_display = ("tpe_id", "name", "pair", "status", "designated_on")
    list_filter = ("status", "pair")
    search_fields = ("tpe_id", "name")


@admin.register(m.Methodology)
class MethodologyAdmin(ReadOnlyAdmin):
    list_display = ("jcm_id", "version", "title", "pair", "sectoral_scope", "approved_on", "status")
    list_filter = ("pair", "sectoral_scope", "status")
    search_fields = ("jcm_id", "title")


@admin.register(m.SectoralScope)
class SectoralScopeAdmin(ReadOnlyAdmin):
    list_display = ("number", "name_en", "name_ja")


@admin.register(m.TpeDesignation)
class TpeDesignationAdmin(ReadOnlyAdmin):
    list_display = ("tpe", "function", "expires_on")


@admin.register(m.GridEmissionFactor)
class GridEmissionFactorAdmin(ReadOnlyAdmin):
    list_display = ("partner", "grid", "kind", "value", "unit", "year_or_period", "confidence")


@admin.register(m.ReferenceLoad)
class ReferenceLoadAdmin(ReadOnlyAdmin):
    list_display = ("version", "loaded_at")
