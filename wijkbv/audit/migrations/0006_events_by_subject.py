"""An index to find the events about an object (selectors.events_about), for the open pages."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_runs_of_events_in_postgresql"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["cooperative", "subject"], name="audit_event_subject"),
        ),
    ]
