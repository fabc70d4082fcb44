"""/api/v1/: each app adds its routes here."""

from django.urls import include, path

urlpatterns = [
    path("", include("members.api")),
    path("", include("shares.api")),
    path("", include("reciprocity.api")),
    path("", include("budgets.api")),
]
