from django.db import migrations

# (name, urgency, tier, priority, source, [(milestone, amount, unit, clock)])
POLICIES = [
    ("一般工单默认时限", "general", None, 10,
     "本系统默认值（可调整）：2小时内签收，2个工作日内反馈，5个工作日内办结",
     [("sign", 2, "hours", "calendar"), ("reply", 2, "working_days", "working"),
      ("complete", 5, "working_days", "working")]),
    ("三级联动单位：工作时间内办理", "general", 3, 15,
     "通政办发〔2023〕9号：三级联动单位确保工作时间内及时接受办理指令",
     [("sign", 2, "hours", "working"), ("reply", 2, "working_days", "working"),
      ("complete", 5, "working_days", "working")]),
    ("紧急工单：30分钟签收、2小时到场", "urgent", None, 20,
     "钦政办〔2022〕45号：承办单位30分钟内签收，2小时内到达现场处理并反馈",
     [("sign", 30, "minutes", "calendar"), ("arrive", 2, "hours", "calendar"),
      ("reply", 2, "hours", "calendar"), ("complete", 3, "working_days", "working")]),
    ("重大工单：第一时间处置", "major", None, 30,
     "钦政办〔2022〕45号第十四条“第一时间反馈”；时限为本系统默认值（可调整）",
     [("sign", 15, "minutes", "calendar"), ("arrive", 1, "hours", "calendar"),
      ("reply", 1, "hours", "calendar"), ("complete", 24, "hours", "calendar")]),
    ("一级联动单位：30分钟内到达现场", "", 1, 40,
     "通政办发〔2023〕9号：一级联动单位需派员赶赴现场处置的，应在30分钟内到达现场",
     [("arrive", 30, "minutes", "calendar")]),
]


def seed(apps, schema_editor):
    DeadlinePolicy = apps.get_model("tickets", "DeadlinePolicy")
    DeadlineRule = apps.get_model("tickets", "DeadlineRule")
    for name, urgency, tier, priority, source, rules in POLICIES:
        policy, created = DeadlinePolicy.objects.get_or_create(
            name=name, defaults={"urgency": urgency, "linkage_tier": tier,
                                 "priority": priority, "source": source})
        if created:
            for milestone, amount, unit, clock in rules:
                DeadlineRule.objects.create(policy=policy, milestone=milestone, amount=amount,
                                            unit=unit, clock=clock)
    apps.get_model("tickets", "SupervisionPolicy").objects.get_or_create(pk=1)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="超期工单扫描与督办",
        defaults={"task": "apps.tickets.tasks.scan_overdue_tickets", "interval": every_minute,
                  "expire_seconds": 55},
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="apps.tickets.tasks.scan_overdue_tickets").delete()
    apps.get_model("tickets", "DeadlinePolicy").objects.filter(
        name__in=[p[0] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
