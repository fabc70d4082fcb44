from django.urls import path

from budgets.reports import views

REPORTS = "c/<slug:slug>/decide/money/reports/"

urlpatterns = [
    path(REPORTS, views.index, name="reports"),
    path(f"{REPORTS}balance-sheet/", views.balance_sheet, name="report_balance_sheet"),
    path(
        f"{REPORTS}income-and-expenditure/",
        views.income_and_expenditure,
        name="report_income_and_expenditure",
    ),
    path(f"{REPORTS}funding-streams/", views.funding_streams, name="report_funding_streams"),
]
