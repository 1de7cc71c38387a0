from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit trail that can be edited is no trail."""

    list_display = ("at", "user", "unit_code", "ip", "action", "object_type", "object_id", "resident_id")
    list_filter = ("action", "object_type")
    search_fields = ("user__username", "object_id", "unit_code")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
