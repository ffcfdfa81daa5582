from django.contrib import admin

from .models import Extract, MonthlyList


@admin.register(Extract)
class ExtractAdmin(admin.ModelAdmin):
    list_display = ["extract_date", "filename", "row_count", "imported_by", "imported_at"]
    readonly_fields = [
        "extract_date",
        "sha256",
        "filename",
        "row_count",
        "imported_by",
        "imported_at",
    ]

    def has_add_permission(self, request):
        return False  # extracts arrive through the import, which checks every row


@admin.register(MonthlyList)
class MonthlyListAdmin(admin.ModelAdmin):
    list_display = ["month", "pdu", "extract", "threshold", "generated_at"]
    list_filter = ["month", "pdu__region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
