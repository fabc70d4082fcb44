"""Two indexes fewer to keep up for every event: the cooperative's own (the unique
(cooperative, seq) starts with it) and the text-pattern index that `unique=True` adds to a
text column on PostgreSQL. The hash stays unique, now by a named constraint, which is added
before the old one goes, so a hash is never without its index."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_chain_rules_per_statement"),
        ("members", "0002_retained_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="cooperative",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to="members.cooperative",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("hash",), name="audit_hash_unique"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64),
        ),
    ]
