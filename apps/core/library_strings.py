"""Strings that Django and the libraries show staff but leave in English in Simplified
Chinese: msgids newer than the libraries' own catalogues, or catalogues without Chinese
(django-axes). Listed here so that ``makemessages`` keeps them in the project's catalogue,
which Django consults before the libraries' (``LOCALE_PATHS``). Nothing imports this
module; each string must be exactly the library's msgid.
"""

from django.utils.translation import gettext_noop

LIBRARY_STRINGS = (
    # Django 5.x admin: the side bar's headings for screen readers, the user pages.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    # django-axes: the fields and sections of its sign-in records.
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("access attempt expiration"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    # django-celery-beat: what its catalogue leaves in English.
    gettext_noop("Periodic Tasks Using This Schedule"),
)
