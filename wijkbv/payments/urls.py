from django.urls import path

from wijkbv.payments import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("<int:pk>/", views.pay, name="pay"),
    path("<int:pk>/done/", views.done, name="done"),
    path("c/<slug:slug>/stripe/", views.stripe_balance, name="stripe_balance"),
]
