from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notices", "0003_inbox_entries_become_recipients")]

    operations = [
        migrations.RemoveIndex(
            model_name='notice',
            name='notices_not_recipie_a1a0d1_idx',
        ),
        migrations.RemoveField(
            model_name='notice',
            name='emailed_at',
        ),
        migrations.RemoveField(
            model_name='notice',
            name='recipient',
        ),
        migrations.RemoveField(
            model_name='notice',
            name='unit',
        ),
    ]
