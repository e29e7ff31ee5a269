from django.contrib import admin

from jcm.reference import models as m


@admin.register(m.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ja", "partner_order", "signed_on", "confidence")
    search_fields = ("code", "name_en", "name_ja")


@admin.register(m.CountryPair)
class CountryPairAdmin(admin.ModelAdmin):
    list_display = ("partner", "generation", "first_jc_on", "confidence")
    list_filter = ("generation",)


@admin.register(m.Tpe)
class TpeAdmin(admin.ModelAdmin):
    list_display = ("tpe_id", "name", "pair", "status", "designated_on")
    list_filter = ("status", "pair")
    search_fields = ("tpe_id", "name")


@admin.register(m.Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    list_display = ("jcm_id", "version", "title", "pair", "sectoral_scope", "approved_on", "status")
    list_filter = ("pair", "sectoral_scope", "status")
    search_fields = ("jcm_id", "title")


admin.site.register(m.SectoralScope)
admin.site.register(m.TpeDesignation)
admin.site.register(m.GridEmissionFactor)
admin.site.register(m.ReferenceLoad)
