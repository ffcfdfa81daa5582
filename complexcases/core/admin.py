from django.contrib import admin

from .models import EmailDelivery


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """What happened to each email: sent (with Notify's id) or failed (with the reason)."""

    list_display = ["at", "template", "recipient", "status", "notify_id", "error"]
    list_filter = ["status", "template"]
    search_fields = ["notify_id", "recipient"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
