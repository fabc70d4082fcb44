from django.db import migrations, models


def label_existing_chains(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    for head in ChainHead.objects.select_related("cooperative"):
        head.label = head.cooperative.slug
        head.save(update_fields=["label"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="label",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.RunPython(label_existing_chains, migrations.RunPython.noop),
    ]
