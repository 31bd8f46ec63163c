from django.contrib import admin

from lms.xapi.models import Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "verb", "object_id", "actor", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["actor__email", "object_id"]
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request):
        return False
