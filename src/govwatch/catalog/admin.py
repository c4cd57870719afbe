from django.contrib import admin

from govwatch.catalog.models import Column, Site, Unit


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "home", "rulebook", "created_at")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "category", "key_area", "expected", "url", "pinned")
    list_filter = ("category", "key_area", "site")
    search_fields = ("name", "url")
