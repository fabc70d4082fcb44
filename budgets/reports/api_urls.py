from django.urls import path

from budgets.reports import api

REPORTS = "c/<slug:slug>/budgets/reports/"

urlpatterns = [
    path(
        f"{REPORTS}balance-sheet/",
        api.BalanceSheetView.as_view(),
        name="api-budget-report-balance-sheet",
    ),
    path(
        f"{REPORTS}income-and-expenditure/",
        api.IncomeAndExpenditureView.as_view(),
        name="api-budget-report-income-and-expenditure",
    ),
    path(
        f"{REPORTS}funding-streams/",
        api.FundingStreamsView.as_view(),
        name="api-budget-report-funding-streams",
    ),
]
