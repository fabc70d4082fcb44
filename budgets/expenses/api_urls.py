from django.urls import path

from budgets.expenses import api

BUDGETS = "c/<slug:slug>/budgets/"

urlpatterns = [
    path(f"{BUDGETS}expenses/", api.ExpensesView.as_view(), name="api-expenses"),
    path(f"{BUDGETS}expenses/<int:number>/", api.ExpenseView.as_view(), name="api-expense"),
    path(
        f"{BUDGETS}expenses/<int:number>/approve/",
        api.ApproveExpenseView.as_view(),
        name="api-expense-approve",
    ),
    path(
        f"{BUDGETS}expenses/<int:number>/reject/",
        api.RejectExpenseView.as_view(),
        name="api-expense-reject",
    ),
    path(f"{BUDGETS}expenses/receipts/<int:pk>/", api.ReceiptView.as_view(), name="api-receipt"),
    path(f"{BUDGETS}advances/", api.AdvancesView.as_view(), name="api-advances"),
    path(f"{BUDGETS}advances/open/", api.OpenAdvancesView.as_view(), name="api-advances-open"),
    path(f"{BUDGETS}advances/<int:number>/", api.AdvanceView.as_view(), name="api-advance"),
    path(
        f"{BUDGETS}advances/<int:number>/approve/",
        api.ApproveAdvanceView.as_view(),
        name="api-advance-approve",
    ),
    path(
        f"{BUDGETS}advances/<int:number>/reject/",
        api.RejectAdvanceView.as_view(),
        name="api-advance-reject",
    ),
    path(
        f"{BUDGETS}advances/<int:number>/settle/",
        api.SettleAdvanceView.as_view(),
        name="api-advance-settle",
    ),
    path(
        f"{BUDGETS}advances/<int:number>/return/",
        api.AdvanceReturnView.as_view(),
        name="api-advance-return",
    ),
    path(f"{BUDGETS}payment-batches/", api.BatchesView.as_view(), name="api-payment-batches"),
    path(
        f"{BUDGETS}payment-batches/<int:number>/",
        api.BatchView.as_view(),
        name="api-payment-batch",
    ),
    path(
        f"{BUDGETS}payment-batches/<int:number>/file/",
        api.BatchFileView.as_view(),
        name="api-payment-batch-file",
    ),
]
