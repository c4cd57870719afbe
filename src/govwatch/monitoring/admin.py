from django.contrib import admin

from govwatch.monitoring.models import Finding, Review, Run, Score


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "site", "as_of", "status", "pages", "requests", "unverified_count")
    list_filter = ("status", "site")


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    readonly_fields = ("actor_label", "at", "from_state", "to_state", "reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the audit log is append-only (Review.save raises on an existing row)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    # States change only through the audited review service, never by editing here.
    list_display = ("id", "run", "unit", "rule", "points", "state", "url")
    list_filter = ("rule", "state", "run")
    readonly_fields = [f.name for f in Finding._meta.fields]
    inlines = [ReviewInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ("run", "unit", "score", "deductions", "bonuses")
    readonly_fields = [f.name for f in Score._meta.fields]
