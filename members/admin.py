"""The admin reads; changes go through the services (and so into the audit chain)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Cooperative, Invitation, Membership, PartnerOrganisation, Place, User


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "email", "is_active", "is_staff", "date_joined"]
    search_fields = ["full_name", "email"]
    exclude = ["password"]


@admin.register(Cooperative)
class CooperativeAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kvk_number", "voting_mode"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "member_number", "user", "status"]
    list_filter = ["cooperative", "status", "is_board", "is_treasurer", "is_coordinator"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "email", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "name", "kind", "is_active"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "name", "sector", "is_active"]
