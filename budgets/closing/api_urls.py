from django.urls import path

from budgets.closing import api

CLOSING = "c/<slug:slug>/budgets/closing/"

urlpatterns = [
    path(f"{CLOSING}periods/", api.PeriodsView.as_view(), name="api-budget-closing-periods"),
    path(
        f"{CLOSING}bank-accounts/<int:pk>/reconciliation/",
        api.ReconciliationView.as_view(),
        name="api-budget-closing-reconciliation",
    ),
    path(
        f"{CLOSING}audit-file/", api.AuditFileView.as_view(), name="api-budget-closing-audit-file"
    ),
]
