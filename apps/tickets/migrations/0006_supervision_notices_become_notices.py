from django.db import migrations
from django.utils import timezone

SUBJECTS = {"warning": "【临期提醒】", "notice": "【督办通知】", "escalation": "【督办升级】"}
KINDS = {"warning": "warning", "notice": "supervision", "escalation": "escalation"}


def number_and_word(apps, schema_editor):
    """Earlier supervision notices: numbered per year in the order issued, and given a
    notice carrying their delivery, reading and acknowledgement."""
    SupervisionNotice = apps.get_model("tickets", "SupervisionNotice")
    Notice = apps.get_model("notices", "Notice")
    YearSerial = apps.get_model("core", "YearSerial")
    last = {}
    rows = SupervisionNotice.objects.select_related("ticket", "unit").order_by("created_at", "id")
    for supervision in rows.iterator(chunk_size=2000):
        year = timezone.localtime(supervision.created_at).year
        last[year] = last.get(year, 0) + 1
        number = f"督办〔{year}〕{last[year]:06d}"
        notice = Notice.objects.create(
            kind=KINDS[supervision.level],
            number=number,
            addressed_to=supervision.unit.name,
            title=f"{SUBJECTS[supervision.level]}{number} {supervision.unit.name}",
            body=f"{supervision.ticket.external_id}：{supervision.milestone} "
            f"{timezone.localtime(supervision.deadline):%Y-%m-%d %H:%M}",
            requires_acknowledgement=supervision.level != "warning",
            created_at=supervision.created_at,
            issued_by_id=supervision.issued_by_id,
            state="delivered" if supervision.delivered_at else "pending",
            delivered_at=supervision.delivered_at,
            read_at=supervision.read_at,
            acknowledged_at=supervision.acknowledged_at,
            acknowledged_by_id=supervision.acknowledged_by_id,
        )
        SupervisionNotice.objects.filter(pk=supervision.pk).update(
            notice=notice, year=year, serial=last[year]
        )
    for year, serial in last.items():
        YearSerial.objects.update_or_create(series="督办", year=year, defaults={"last": serial})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_supervision_notice_numbered_per_year")]

    operations = [migrations.RunPython(number_and_word, migrations.RunPython.noop)]
