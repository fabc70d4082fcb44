"""The admin reads; changes go through the services (and so into the audit chain)."""

from django.contrib import admin

from shares.models import Cancellation, ShareClass, ShareLot, Subscription, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShareClass)
class ShareClassAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "code", "name", "nominal_amount", "authorised_shares"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "payment_reference", "share_class", "count", "status"]
    list_filter = ["cooperative", "status", "method"]


@admin.register(ShareLot)
class ShareLotAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "share_class", "membership", "first_certificate", "count"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "share_class", "count", "transferred_on"]


@admin.register(Cancellation)
class CancellationAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "share_class", "kind", "count", "cancelled_on"]
