from django.contrib import admin

from .models import ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    """Activity types are reference data: add new ones here; disable rather than delete."""

    list_display = ["name", "code", "needs_description", "position", "disabled_on"]
    list_editable = ["position", "disabled_on"]

    def has_delete_permission(self, request, obj=None):
        return False
