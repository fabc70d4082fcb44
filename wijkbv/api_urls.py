"""/api/v1/: each app adds its routes here."""

from django.urls import include, path

urlpatterns = [
    path("", include("members.api")),
    path("", include("shares.api")),
    path("", include("reciprocity.api")),
    path("", include("wijkbv.payments.api")),
    path("", include("budgets.api")),
    path("", include("budgets.expenses.api_urls")),
    path("", include("budgets.reports.api_urls")),
    path("", include("budgets.closing.api_urls")),
    path("", include("budgets.transparency.api_urls")),
]
