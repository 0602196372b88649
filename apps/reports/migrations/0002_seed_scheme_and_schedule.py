import datetime

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("reports", "AssessmentScheme").objects.get_or_create(
        effective_from=datetime.date(2026, 1, 1),
        defaults={
            "name": "默认考核方案",
            "response_weight": 30,
            "resolution_weight": 35,
            "satisfaction_weight": 35,
            "basically_satisfied_percent": 90,
            "unreachable_counts": False,
            "response_milestone": "sign",
            "source": "县级12345热线考核办法通行做法：响应30%、解决35%、满意35%；基本满意按0.9计，未接通不计入回访",
        },
    )
    apps.get_model("reports", "ReportPolicy").objects.get_or_create(pk=1)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_ten_minutes, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="刷新报表日汇总",
        defaults={"task": "apps.reports.tasks.refresh_rollups", "interval": every_ten_minutes},
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="apps.reports.tasks.refresh_rollups"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
