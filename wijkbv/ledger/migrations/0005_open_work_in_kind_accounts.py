"""Cooperatives founded before account 4300 existed get it, with its balance row."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

CODE = "4300"


def open_accounts(apps, schema_editor):
    Cooperative = apps.get_model("members", "Cooperative")
    Account = apps.get_model("ledger", "Account")
    Balance = apps.get_model("ledger", "Balance")
    from wijkbv.ledger.chart import STANDARD_CHART

    name = next(name for code, name, *_rest in STANDARD_CHART if code == CODE)
    with translation.override(settings.LANGUAGE_CODE):
        for cooperative in Cooperative.objects.all():
            if Account.objects.filter(cooperative=cooperative, code=CODE).exists():
                continue
            account = Account.objects.create(
                cooperative=cooperative,
                code=CODE,
                name=str(name),
                type="expense",
                purpose="work_in_kind",
                currency=cooperative.currency,
            )
            Balance.objects.create(account=account)


def close_unused_accounts(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Balance = apps.get_model("ledger", "Balance")
    unused = Account.objects.filter(code=CODE, postings__isnull=True)
    Balance.objects.filter(account__in=unused).delete()
    unused.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_work_in_kind_purpose"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(open_accounts, close_unused_accounts)]
