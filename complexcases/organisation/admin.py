from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProbationDeliveryUnit, Region, Team, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "disabled_on"]
    search_fields = ["code", "name"]


@admin.register(ProbationDeliveryUnit)
class ProbationDeliveryUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "disabled_on"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "pdu", "disabled_on"]
    list_filter = ["pdu__region", "pdu"]
    search_fields = ["name"]


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    """Enable an imported practitioner by ticking Active and setting a password."""

    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "staff_code", "pdu", "is_active"]
    list_filter = ["is_active", "groups", "pdu"]
    search_fields = ["email", "first_name", "last_name", "staff_code"]
    autocomplete_fields = ["line_manager"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Work", {"fields": ("staff_code", "pdu", "team", "line_manager")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    actions = ["disable_and_sign_out"]

    @admin.action(description="Disable and sign out everywhere")
    def disable_and_sign_out(self, request, queryset):
        from .services import staff_disable

        ended = sum(staff_disable(user=user, by=request.user) for user in queryset)
        self.message_user(request, f"{queryset.count()} disabled; {ended} sessions ended.")

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
