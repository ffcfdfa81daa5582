from django.contrib import admin, messages

from .models import EmailDelivery, TaskRun
from .services import email_delivery_send_again, task_run_again


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the service writes: a system administrator reads them and acts only through actions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request):
        return self.has_view_permission(request)


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(_ReadOnlyAdmin):
    """What happened to each email: queued (with its attempts and last error), sent (with
    Notify's id) or failed (with the reason). A failed email can be sent again (ADR 0051)."""

    list_display = [
        "at",
        "template",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "notify_id",
        "error",
    ]
    list_filter = ["status", "template"]
    search_fields = ["notify_id", "recipient", "email_id"]
    date_hierarchy = "at"
    actions = ["send_again"]
    exclude = ["body", "attachments"]

    @admin.action(description="Send the selected failed emails again", permissions=["send_again"])
    def send_again(self, request, queryset):
        count = email_delivery_send_again(deliveries=queryset)
        self.message_user(
            request,
            f"{count} failed email(s) queued to send again within a minute."
            if count
            else "None of the selected emails had failed: nothing was queued.",
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(TaskRun)
class TaskRunAdmin(_ReadOnlyAdmin):
    """Each run of a job that must happen: queued, running, succeeded, or failed after its
    retries (with the reason). A failed run can be run again (ADR 0052)."""

    list_display = [
        "created_at",
        "task",
        "status",
        "attempts",
        "started_at",
        "finished_at",
        "error",
    ]
    list_filter = ["status", "task"]
    date_hierarchy = "created_at"
    actions = ["run_again"]

    @admin.action(description="Run the selected failed tasks again", permissions=["send_again"])
    def run_again(self, request, queryset):
        count = task_run_again(runs=queryset)
        self.message_user(
            request,
            f"{count} failed task(s) queued to run again within a minute."
            if count
            else "None of the selected tasks had failed: nothing was queued.",
            messages.SUCCESS if count else messages.WARNING,
        )
