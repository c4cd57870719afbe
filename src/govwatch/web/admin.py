from django.contrib import admin

from govwatch.web.models import EvidenceUpload, Rectification, Recheck, RunRequest, Survey, UnitMembership


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit")
    list_filter = ("unit",)


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ("finding", "kind", "actor_label", "at")
    list_filter = ("kind",)


@admin.register(Recheck)
class RecheckAdmin(admin.ModelAdmin):
    list_display = ("finding", "url", "outcome", "http_status", "actor_label", "at")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("period", "unit", "status", "deadline", "submitted_at")
    list_filter = ("period", "status")


admin.site.register(EvidenceUpload)
admin.site.register(RunRequest)
