import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_supervision_notices_become_notices")]

    operations = [
        migrations.RemoveConstraint(
            model_name="supervisionnotice",
            name="one_notice_per_ticket_round_milestone_level",
        ),
        migrations.RemoveIndex(model_name="supervisionnotice", name="notice_undelivered"),
        migrations.RemoveField(model_name="supervisionnotice", name="acknowledged_at"),
        migrations.RemoveField(model_name="supervisionnotice", name="acknowledged_by"),
        migrations.RemoveField(model_name="supervisionnotice", name="delivered_at"),
        migrations.RemoveField(model_name="supervisionnotice", name="read_at"),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="notice",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supervision",
                to="notices.notice",
                verbose_name="notice",
            ),
        ),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="serial",
            field=models.PositiveIntegerField(verbose_name="serial number"),
        ),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year"),
        ),
        migrations.AddConstraint(
            model_name="supervisionnotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("issued_by__isnull", True)),
                fields=("ticket", "routing_round", "milestone", "level"),
                name="one_scan_notice_per_ticket_round_milestone_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisionnotice",
            constraint=models.UniqueConstraint(
                fields=("year", "serial"), name="one_supervision_number_per_year"
            ),
        ),
    ]
