"""The office's schedules (周期性任务) in the admin, in the staff's words.

django-celery-beat's own pages show every Celery option (queues, AMQP routing, JSON
arguments) and describe crontabs in English. Staff need a task's name, what it does,
whether it is on and when it runs; that is all a non-superuser sees and may change here
(the task and its arguments stay as the migrations set them). Superusers keep beat's
full form.
"""

import calendar

from cron_descriptor import ExpressionDescriptor, Options
from cron_descriptor.Exception import FormatException, MissingFieldException, WrongArgumentException
from django import forms
from django.contrib import admin
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import (
    CrontabScheduleAdmin,
    IntervalScheduleAdmin,
    PeriodicTaskAdmin,
    PeriodicTaskInline,
)
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

LOCAL_ZONE = "Asia/Shanghai"
CHINESE_CALENDAR_NAMES = {
    **{calendar.month_name[n]: f"{n}月" for n in range(1, 13)},
    **dict(
        zip(
            calendar.day_name,
            ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
            strict=True,
        )
    ),
}


def describe_crontab(crontab: CrontabSchedule) -> str:
    """ "每天 09:00（北京时间）": when a crontab runs, in the reader's language."""
    expression = " ".join(
        (
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        )
    )
    chinese = (get_language() or "").startswith("zh")
    options = Options()
    options.locale_code = "zh_CN" if chinese else "en_US"
    options.use_24hour_time_format = True
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException):
        text = expression
    if chinese:
        # Its Chinese still names months and weekdays in English ("仅在 January, April").
        for english, chinese_name in CHINESE_CALENDAR_NAMES.items():
            text = text.replace(english, chinese_name)
    zone = str(crontab.timezone)
    if zone == LOCAL_ZONE:
        zone = gettext("Beijing time")
    return f"{text}（{zone}）"


class OfficeScheduleForm(forms.ModelForm):
    class Meta:
        model = PeriodicTask
        fields = ("description", "enabled", "crontab", "interval", "start_time")
        help_texts = {"enabled": _("Untick to pause the task; tick again to resume it.")}


class OfficeTaskInline(PeriodicTaskInline):
    """The tasks a schedule drives, by name and purpose (not Celery's task path)."""

    fields = ("name", "description", "enabled")
    readonly_fields = fields


admin.site.unregister(PeriodicTask)
admin.site.unregister(CrontabSchedule)
admin.site.unregister(IntervalSchedule)


@admin.register(PeriodicTask)
class OfficePeriodicTaskAdmin(PeriodicTaskAdmin):
    # Beat's template adds an English crontab hint by script; the description is in
    # ``runs_at`` and in the crontab picker instead.
    change_form_template = None
    office_fieldsets = (
        (None, {"fields": ("name", "description", "enabled")}),
        (_("When it runs"), {"fields": ("crontab", "interval", "start_time", "runs_at")}),
        (_("Runs so far"), {"fields": ("last_run", "total_run_count")}),
    )

    def _is_office(self, request):
        return not request.user.is_superuser

    @admin.display(description=_("last run at"))
    def last_run(self, obj):
        # Beat's help text for last_run_at speaks of its flags (enabled=False, None).
        return obj.last_run_at or "—"

    @admin.display(description=_("runs"))
    def runs_at(self, obj):
        if obj.crontab_id:
            return describe_crontab(obj.crontab)
        return str(obj.interval or obj.clocked or obj.solar or "—")

    def get_form(self, request, obj=None, **kwargs):
        if self._is_office(request):
            kwargs["form"] = OfficeScheduleForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return (
            self.office_fieldsets
            if self._is_office(request)
            else super().get_fieldsets(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        if self._is_office(request):
            return ("name", "runs_at", "last_run", "total_run_count")
        return (*super().get_readonly_fields(request, obj), "runs_at")

    def get_list_display(self, request):
        if self._is_office(request):
            return ("name", "description", "enabled", "runs_at", "last_run_at")
        return super().get_list_display(request)

    def get_list_filter(self, request):
        return ["enabled"] if self._is_office(request) else super().get_list_filter(request)

    def get_list_select_related(self, request):
        return ("crontab", "interval", "clocked", "solar")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "crontab" and field is not None:
            field.label_from_instance = describe_crontab
        return field


@admin.register(CrontabSchedule)
class OfficeCrontabScheduleAdmin(CrontabScheduleAdmin):
    inlines = [OfficeTaskInline]
    list_display = ("described",)
    fields = (
        "described",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("described",)

    def get_fields(self, request, obj=None):
        # Staff read a schedule (it is the superuser's to edit): its description is the
        # whole of it, without beat's English help on cron fields.
        return self.fields if request.user.is_superuser else ("described",)

    @admin.display(description=_("runs"))
    def described(self, obj):
        return describe_crontab(obj)


@admin.register(IntervalSchedule)
class OfficeIntervalScheduleAdmin(IntervalScheduleAdmin):
    inlines = [OfficeTaskInline]
