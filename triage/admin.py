from django.contrib import admin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Themes are reference data: add new ones here; disable rather than delete."""

    list_display = ["name", "position", "disabled_on"]
    list_editable = ["position", "disabled_on"]

    def has_delete_permission(self, request, obj=None):
        return False
