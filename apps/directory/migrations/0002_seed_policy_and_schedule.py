from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("directory", "ContactConfirmationPolicy").objects.get_or_create(
        pk=1, defaults={"confirm_every_days": 90}
    )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name="提醒联络员确认联系人信息",
        defaults={"task": "apps.directory.tasks.remind_stale_contacts", "crontab": every_morning},
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="apps.directory.tasks.remind_stale_contacts"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
