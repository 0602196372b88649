"""One way to write a moment on every page, in both languages: 2026-12-01 10:30.

Django's own Chinese formats mix 2026年12月1日 and 12/01/2026 between pages and widgets;
the office writes dates as in its documents and spreadsheets. Input accepts the same.
"""

DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
FIRST_DAY_OF_WEEK = 1  # Monday
