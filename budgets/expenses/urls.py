"""Expenses, advances and payment batches: the pages and the API (the rules are in budgets/services.py)."""

from django.urls import path

from budgets.expenses import views

MONEY = "c/<slug:slug>/decide/money/"

urlpatterns = [
    path(f"{MONEY}expenses/", views.expenses, name="expenses"),
    path(f"{MONEY}expenses/claim/", views.declare_expense, name="declare_expense"),
    path(f"{MONEY}expenses/invoice/", views.enter_invoice, name="enter_invoice"),
    path(f"{MONEY}expenses/<int:number>/", views.expense, name="expense"),
    path(f"{MONEY}expenses/<int:number>/approve/", views.approve_expense, name="approve_expense"),
    path(f"{MONEY}expenses/<int:number>/reject/", views.reject_expense, name="reject_expense"),
    path(f"{MONEY}receipts/<int:pk>/", views.receipt, name="receipt"),
    path(f"{MONEY}advances/", views.advances, name="advances"),
    path(f"{MONEY}advances/ask/", views.ask_advance, name="ask_advance"),
    path(f"{MONEY}advances/<int:number>/", views.advance, name="advance"),
    path(f"{MONEY}advances/<int:number>/approve/", views.approve_advance, name="approve_advance"),
    path(f"{MONEY}advances/<int:number>/reject/", views.reject_advance, name="reject_advance"),
    path(f"{MONEY}advances/<int:number>/settle/", views.settle_advance, name="settle_advance"),
    path(
        f"{MONEY}advances/<int:number>/returned/",
        views.advance_returned,
        name="advance_returned",
    ),
    path(f"{MONEY}payments/", views.payments, name="payments"),
    path(f"{MONEY}payments/<int:number>/", views.payment_batch, name="payment_batch"),
    path(f"{MONEY}payments/<int:number>/pain001.xml", views.payment_file, name="payment_file"),
]
