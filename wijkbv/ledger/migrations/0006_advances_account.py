"""Account 1300, advances to residents: a new purpose, and the account opened, with its balance
row, for every cooperative founded before it was in the standard chart."""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

CODE = "1300"
PURPOSES = [
    ("bank", "Bank account"),
    ("stripe", "Stripe balance"),
    ("in_transit", "Money in transit"),
    ("advances", "Advances to residents"),
    ("share_capital", "Share capital"),
    ("funding_stream", "Funding-stream fund"),
    ("project_budget", "Project budget"),
    ("reinvestment_reserve", "Reinvestment reserve"),
    ("work_in_kind", "Work paid in as shares"),
    ("general", "General"),
]


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
                type="asset",
                purpose="advances",
                currency=cooperative.currency,
            )
            Balance.objects.create(account=account)


def close_unused_accounts(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Balance = apps.get_model("ledger", "Balance")
    unused = Account.objects.filter(code=CODE, purpose="advances", postings__isnull=True)
    Balance.objects.filter(account__in=unused).delete()
    unused.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_open_work_in_kind_accounts"),
        ("members", "0002_retained_identity"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="account", name="account_purpose_valid"),
        migrations.AlterField(
            model_name="account",
            name="purpose",
            field=models.CharField(
                choices=PURPOSES, default="general", max_length=24, verbose_name="stands for"
            ),
        ),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.CheckConstraint(
                condition=models.Q(purpose__in=[value for value, _label in PURPOSES]),
                name="account_purpose_valid",
            ),
        ),
        migrations.RunPython(open_accounts, close_unused_accounts),
    ]
