import django.db.models.deletion
from django.db import migrations, models


def drop_unfinished_claims(apps, schema_editor):
    # A key row without a ticket could only outlive a crash between claim and ticket
    # under the previous scheme; nothing refers to it.
    apps.get_model("tickets", "IdempotencyKey").objects.filter(ticket__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_idempotency_key_claimed_first")]

    operations = [
        migrations.RunPython(drop_unfinished_claims, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="idempotencykey",
            name="ticket",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tickets.ticket",
            ),
        ),
    ]
