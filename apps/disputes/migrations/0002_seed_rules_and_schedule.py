from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("disputes", "DisputePolicy").objects.get_or_create(pk=1)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    early_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name="检测疑似管辖争议事项",
        defaults={"task": "apps.disputes.tasks.detect_disputes", "crontab": early_morning},
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="apps.disputes.tasks.detect_disputes"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
