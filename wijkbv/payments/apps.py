from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "wijkbv.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        # Each app that takes payments registers its handlers in its own `payments` module
        # (see handlers.py), as each app registers its admin in `admin`.
        autodiscover_modules("payments")
