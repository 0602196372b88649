import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notices", "0002_one_notice_system"),
        ("tickets", "0004_idempotency_key_always_has_ticket"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionnotice",
            name="notice",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supervision",
                to="notices.notice",
                verbose_name="notice",
            ),
        ),
        migrations.AddField(
            model_name="supervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(null=True, verbose_name="serial number"),
        ),
        migrations.AddField(
            model_name="supervisionnotice",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="year"),
        ),
    ]
