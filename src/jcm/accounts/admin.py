from django.contrib import admin

from jcm.accounts.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country_code", "tpe_id")
    list_filter = ("kind",)
    search_fields = ("name", "tpe_id")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "pair")
    list_filter = ("role", "pair")
    search_fields = ("user__username", "organisation__name")
