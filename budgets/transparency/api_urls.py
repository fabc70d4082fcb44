"""/api/v1/c/<slug>/open/: the open pages as open data (beside the time given, which
reciprocity answers at .../open/time/)."""

from django.urls import path

from budgets.transparency import api

OPEN = "c/<slug:slug>/open/"

urlpatterns = [
    path(OPEN, api.SummaryView.as_view(), name="api-open"),
    path(f"{OPEN}flows/", api.FlowsView.as_view(), name="api-open-flows"),
    path(f"{OPEN}decisions/", api.DecisionsView.as_view(), name="api-open-decisions"),
    path(f"{OPEN}projects/", api.ProjectsView.as_view(), name="api-open-projects"),
    path(
        f"{OPEN}projects/<int:number>/expenses/",
        api.ExpensesView.as_view(),
        name="api-open-expenses",
    ),
    path(f"{OPEN}funders/<int:pk>/", api.FunderView.as_view(), name="api-open-funder"),
    path(f"{OPEN}streams/<int:pk>/", api.StreamView.as_view(), name="api-open-stream"),
    path(f"{OPEN}partners/", api.PartnersView.as_view(), name="api-open-partners"),
]
