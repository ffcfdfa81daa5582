from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
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
    """Enable an imported practitioner by ticking Active and setting a password.

    No form here sets roles, superuser status or single permissions (ADR 0021): roles change
    only through a request that a second system administrator approves, superusers are made
    only on the command line, and `is_staff` follows the system administrator role.
    """

    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "staff_code", "pdu", "is_active"]
    list_filter = ["is_active", "groups", "pdu"]
    search_fields = ["email", "first_name", "last_name", "staff_code"]
    autocomplete_fields = ["line_manager"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Work", {"fields": ("staff_code", "pdu", "team", "line_manager")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "roles")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["is_staff", "is_superuser", "roles"]

    @admin.display(description="Roles")
    def roles(self, obj):
        names = ", ".join(obj.role_names) or "None"
        if obj.pk is None:
            return names
        link = reverse("organisation:staff-roles", args=[obj.pk])
        return format_html('{} (<a href="{}">ask for a change</a>)', names, link)

    def has_change_permission(self, request, obj=None):
        # A superuser's account (email, password, active) is changed only by a superuser.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # An administrator who sets a password could sign in as that person: they are told.
        staff = self.get_object(request, unquote(id))
        before = staff.password if staff is not None else None
        response = super().user_change_password(request, id, form_url)
        if staff is not None and request.method == "POST":
            staff.refresh_from_db(fields=["password"])
            if staff.password != before and staff.pk != request.user.pk:
                from .services import staff_password_set_by_administrator

                staff_password_set_by_administrator(staff=staff, by=request.user)
        return response

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves every field of the old version, is_superuser and is_staff included.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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
