from django.contrib import admin

from .models import PanelMember, PanelRole


@admin.register(PanelRole)
class PanelRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "core", "position", "disabled_on"]


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ["role", "region", "pdu", "user", "name", "organisation", "disabled_on"]
    list_filter = ["region", "role"]
