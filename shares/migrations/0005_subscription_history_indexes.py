"""The row history of subscriptions keeps no index per foreign key: it is read per subscription
and in time order. Every payment a bank statement books writes a history row."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_bookings_by_cause"),
        ("members", "0002_retained_identity"),
        ("shares", "0004_transfer_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsubscription",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalsubscription",
            name="cooperative",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.cooperative",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsubscription",
            name="membership",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.membership",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsubscription",
            name="payment_transaction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="ledger.transaction",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsubscription",
            name="share_class",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="shares.shareclass",
            ),
        ),
    ]
