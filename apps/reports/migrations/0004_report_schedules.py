from django.db import migrations

SCHEDULES = [
    # (name, task, month_of_year): at 01:00 on the 1st, in the office's time zone.
    ("生成上月月报", "apps.reports.tasks.monthly_reports", "*"),
    ("生成上季度季报", "apps.reports.tasks.quarterly_reports", "1,4,7,10"),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, months in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="1",
            day_of_week="*",
            day_of_month="1",
            month_of_year=months,
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _name, task, _months in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
