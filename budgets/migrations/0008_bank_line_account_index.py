"""A bank line's account needs no index of its own: its three indexes start with it. One
index fewer to keep up for every line imported and every line matching marks."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0007_bank_line_waiting_with_a_suggestion"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bankline",
            name="bank_account",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="budgets.bankaccount",
            ),
        ),
    ]
