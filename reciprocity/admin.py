"""The admin reads; changes go through the services (and so into the audit chain)."""

from django.contrib import admin

from reciprocity.models import Activity, Contribution, ThanksListing
from shares.admin import ReadOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "name", "is_active"]
    list_filter = ["cooperative"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "date", "activity", "kind", "hours", "status"]
    list_filter = ["cooperative", "status", "kind"]


@admin.register(ThanksListing)
class ThanksListingAdmin(ReadOnlyAdmin):
    list_display = ["membership", "display_name", "since"]
