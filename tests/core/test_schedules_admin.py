from django.utils import translation
from django_celery_beat.models import CrontabSchedule

from apps.core.schedules_admin import describe_crontab


def test_a_crontab_is_described_in_chinese_months_and_weekdays_included(db):
    quarterly = CrontabSchedule(
        minute="0", hour="1", day_of_month="1", month_of_year="1,4,7,10", timezone="Asia/Shanghai"
    )
    weekly = CrontabSchedule(minute="0", hour="9", day_of_week="1", timezone="Asia/Shanghai")
    with translation.override("zh-hans"):
        text = describe_crontab(quarterly)
        assert "1月" in text and "10月" in text and "January" not in text
        assert "星期一" in describe_crontab(weekly)
        assert text.endswith("（北京时间）")
    with translation.override("en"):
        assert "January" in describe_crontab(quarterly)
