from django.db import migrations


def inboxes_to_recipients(apps, schema_editor):
    """Each earlier notice was one person's inbox entry: it becomes a notice with that
    person as its (delivered) in-app recipient."""
    Notice = apps.get_model("notices", "Notice")
    NoticeRecipient = apps.get_model("notices", "NoticeRecipient")
    rows, notices = [], []
    for notice in Notice.objects.select_related("unit").iterator():
        rows.append(
            NoticeRecipient(
                notice_id=notice.pk,
                channel="in_app",
                user_id=notice.recipient_id,
                status="sent",
                next_attempt_at=notice.created_at,
                sent_at=notice.created_at,
            )
        )
        notice.state, notice.delivered_at = "delivered", notice.created_at
        notice.addressed_to = notice.unit.name if notice.unit_id else ""
        notices.append(notice)
    NoticeRecipient.objects.bulk_create(rows, batch_size=1000)
    Notice.objects.bulk_update(notices, ["state", "delivered_at", "addressed_to"], batch_size=1000)


def seed_delivery(apps, schema_editor):
    apps.get_model("notices", "DeliveryPolicy").objects.get_or_create(pk=1)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    apps.get_model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name="通知投递与重试",
        defaults={
            "task": "apps.notices.tasks.deliver_notices",
            "interval": every_minute,
            "expire_seconds": 55,
        },
    )


def unseed_delivery(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="apps.notices.tasks.deliver_notices"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_one_notice_system"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(inboxes_to_recipients, migrations.RunPython.noop),
        migrations.RunPython(seed_delivery, unseed_delivery),
    ]
