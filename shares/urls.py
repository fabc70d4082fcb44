from django.urls import path

from shares import views

app_name = "shares"

urlpatterns = [
    path("c/<slug:slug>/shares/", views.home, name="home"),
    path("c/<slug:slug>/shares/subscribe/", views.subscribe, name="subscribe"),
    path("c/<slug:slug>/shares/subscriptions/<int:pk>/", views.subscription, name="subscription"),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/pay-online/",
        views.pay_online,
        name="pay_online",
    ),
    path(
        "c/<slug:slug>/shares/subscriptions/<int:pk>/<slug:decision>/",
        views.subscription_decision,
        name="subscription_decision",
    ),
    path("c/<slug:slug>/shares/classes/", views.classes, name="classes"),
    path("c/<slug:slug>/shares/manage/", views.manage, name="manage"),
    path("c/<slug:slug>/shares/transfer/", views.transfer, name="transfer"),
    path("c/<slug:slug>/shares/transfer/ask/", views.ask_transfer, name="ask_transfer"),
    path(
        "c/<slug:slug>/shares/transfer-requests/<int:pk>/<slug:decision>/",
        views.transfer_request_decision,
        name="transfer_request_decision",
    ),
    path("c/<slug:slug>/shares/buy-back/", views.redeem, name="redeem"),
    path("c/<slug:slug>/shares/give-back/", views.gift_back, name="gift_back"),
    path("c/<slug:slug>/shares/register/", views.register, name="register"),
    path("c/<slug:slug>/shares/register/print/", views.register_print, name="register_print"),
]
