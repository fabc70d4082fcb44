from django.urls import path

from budgets.closing import views

CLOSING = "c/<slug:slug>/decide/money/closing/"

urlpatterns = [
    path(CLOSING, views.closing, name="closing"),
    path(f"{CLOSING}bank/<int:pk>/", views.reconciliation, name="reconciliation"),
    path(
        f"{CLOSING}bank/<int:pk>/reconciliation.csv",
        views.reconciliation_csv,
        name="reconciliation_csv",
    ),
    path(f"{CLOSING}audit-file/", views.audit_file, name="audit_file"),
]
