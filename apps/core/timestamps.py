"""Moments exchanged with the platforms (ISO 8601, always with the UTC offset), and
moments as people read them (2026-12-01 10:30, local time)."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# Real time zones run from UTC−12:00 to UTC+14:00; PostgreSQL refuses beyond ±15:59.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def parse_aware_datetime(text) -> datetime:
    """``2026-11-22T09:30:00+08:00``, ``…+0800``, ``…+08`` or ``…Z``; anything else
    raises ``ValueError`` saying what is wrong (a date alone, no offset, no such offset)."""
    if not isinstance(text, str):
        raise ValueError(_("Give the time as a text in ISO 8601, e.g. 2026-11-22T09:30:00+08:00."))
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("Not an ISO 8601 time: use e.g. 2026-11-22T09:30:00+08:00.")) from None
    if "T" not in text.upper() and " " not in text.strip():
        raise ValueError(_("A date alone is not a moment: give the time and its UTC offset."))
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(_("Give the time with its UTC offset, e.g. 2026-11-22T09:30:00+08:00."))
    if not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
        raise ValueError(
            _("No time zone has the UTC offset %(offset)s (they run from -12:00 to +14:00).")
            % {"offset": moment.strftime("%z")}
        )
    return moment


def local_minute(value, *, empty="—") -> str:
    """A moment as pages, notices and spreadsheets write it: ``2026-12-01 10:30``, in the
    office's time zone (the same as ``DATETIME_FORMAT`` in config/formats).

    Formatted by hand: a scan words tens of thousands of these, and ``strftime`` after
    ``localtime`` costs seven times as much."""
    if not value:
        return empty
    t = value.astimezone(timezone.get_current_timezone())
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
