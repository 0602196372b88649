from django.db import migrations

TASKS = {
    "apps.disputes.tasks.plan_meetings": ("起草季度例会并提醒确认", "0", "8"),
    "apps.disputes.tasks.scan_action_items": ("会议交办事项提醒与督办", "5", "*"),
}


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, (name, minute, hour) in TASKS.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=TASKS).delete()


class Migration(migrations.Migration):
    dependencies = [("disputes", "0003_meetings")]
    operations = [migrations.RunPython(seed, unseed)]
