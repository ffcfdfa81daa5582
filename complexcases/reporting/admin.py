from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LearningEntry, RegionalHead


@admin.register(RegionalHead)
class RegionalHeadAdmin(SimpleHistoryAdmin):
    """Make a head of service a regional head: they then see their whole region's figures."""

    list_display = ["user", "region"]
    list_select_related = ["user", "region"]
    autocomplete_fields = ["user"]


@admin.register(LearningEntry)
class LearningEntryAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "region", "created_at"]
    list_filter = ["region", "themes"]
    readonly_fields = ["booking", "created_by", "created_at"]
    search_fields = ["blocker", "what_unblocked", "helped_by"]
