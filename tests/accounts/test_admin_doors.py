"""Every admin URL, for every role, GET and POST: allowed, or refused with nothing written.

The pages a library adds (history, version pages, delete, autocomplete, password change,
the Celery Beat and token admins) are in the matrix like the project's own; a test fails
when an admin URL exists that the matrix does not name.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

from tests.database import fingerprint

ROLES = ("staff", "liaison", "leader", "platform")

# What each role may do with an object, one letter a door of the model's admin:
# L list, A add, V view (change page, GET), C change (POST), D delete, H history,
# R a recorded version (django-simple-history's version page). Anything not listed is
# refused, for GET and POST alike.
MODEL_DOORS = {
    # (model admin, object): {role: letters}
    ("directory.region", "region"): {"staff": "LAVCDH", "leader": "LVH"},
    ("directory.unit", "own_unit"): {
        "staff": "LAVCDHR",
        "liaison": "LVCHR",
        "leader": "LVHR",
    },
    ("directory.unit", "other_unit"): {"staff": "LAVCDHR", "liaison": "L", "leader": "LVHR"},
    ("directory.contact", "own_contact"): {
        "staff": "LAVCDHR",
        "liaison": "LAVCHR",
        "leader": "LVHR",
    },
    ("directory.contact", "other_contact"): {
        "staff": "LAVCDHR",
        "liaison": "LA",
        "leader": "LVHR",
    },
    ("directory.contactconfirmationpolicy", "contact_policy"): {"staff": "LVCH"},
    ("notices.notice", "liaison_notice"): {"staff": "LVH", "liaison": "LVH", "leader": "L"},
    ("notices.deliverypolicy", "delivery_policy"): {"staff": "LVCH"},
    ("accounts.user", "leader_user"): {"staff": "LAVCH"},
    ("auth.group", "group"): {},
    ("authtoken.tokenproxy", "token"): {},
    ("django_celery_beat.periodictask", "periodic_task"): {"staff": "LVCH"},
    ("django_celery_beat.clockedschedule", "clocked"): {},
    ("django_celery_beat.crontabschedule", "crontab"): {"staff": "LVH"},
    ("django_celery_beat.solarschedule", "solar"): {},
    ("django_celery_beat.intervalschedule", "interval"): {"staff": "LVH"},
    ("workcalendar.workingperiod", "working_period"): {"staff": "LAVCDH", "leader": "LVH"},
    ("workcalendar.calendarday", "calendar_day"): {"staff": "LAVCDH", "leader": "LVH"},
    ("diversion.diversionlist", "draft_list"): {
        "staff": "LAVCDH",
        "liaison": "LVH",
        "leader": "LVH",
    },
    ("diversion.diversionitem", "draft_item"): {
        "staff": "LAVCDH",
        "liaison": "LVH",
        "leader": "LVH",
    },
    ("diversion.lookupsynonym", "synonym"): {"staff": "LAVCDH"},
    ("diversion.lookupweights", "lookup_weights"): {"staff": "LVCH"},
    # A choice comes only from a pick on the lookup page and is reviewed by an action.
    ("diversion.lookupchoice", "lookup_choice"): {"staff": "LVDH"},
    ("tickets.ticket", "own_ticket"): {"staff": "LVH", "liaison": "LVH", "leader": "LVH"},
    ("tickets.ticket", "other_ticket"): {"staff": "LVH", "liaison": "L", "leader": "LVH"},
    ("tickets.supervisionnotice", "own_notice"): {
        "staff": "LVH",
        "liaison": "LVH",
        "leader": "LVH",
    },
    ("tickets.supervisionnotice", "other_notice"): {
        "staff": "LVH",
        "liaison": "L",
        "leader": "LVH",
    },
    ("tickets.deadlinepolicy", "deadline_policy"): {"staff": "LAVCDH", "leader": "LVH"},
    ("tickets.supervisionpolicy", "supervision_policy"): {"staff": "LVCH", "leader": "LVH"},
    ("accounts.signinlock", "access_attempt"): {"staff": "LVDH"},
    ("accounts.signinrecord", "access_log"): {"staff": "LVH"},
    # Disputes are withdrawn, never deleted; positions are stated on their own page.
    ("disputes.jurisdictiondispute", "own_dispute"): {
        "staff": "LAVCH",
        "liaison": "LVH",
        "leader": "LVH",
    },
    ("disputes.jurisdictiondispute", "other_dispute"): {
        "staff": "LAVCH",
        "liaison": "L",
        "leader": "LVH",
    },
    ("disputes.disputepolicy", "dispute_policy"): {"staff": "LVCH", "leader": "LVH"},
    # A scheme in force is kept as it was (rankings name it); one yet to come is edited.
    ("reports.assessmentscheme", "scheme_in_force"): {"staff": "LAVH", "leader": "LVH"},
    ("reports.assessmentscheme", "future_scheme"): {"staff": "LAVCH", "leader": "LVH"},
    ("reports.reportpolicy", "report_policy"): {"staff": "LVCH", "leader": "LVH"},
    # Each person's own big exports (staff's here): seen, never changed or deleted.
    ("tickets.ticketexport", "staff_export"): {
        "staff": "LVH",
        "liaison": "L",
        "leader": "L",
    },
    # Reports are produced (add: a special report), never changed or deleted.
    ("reports.reportrun", "report_run"): {"staff": "LAVH", "leader": "LAVH"},
    # Meetings are numbered: never deleted. Attendance of the own unit has its own page.
    ("disputes.jointmeeting", "own_meeting"): {
        "staff": "LAVCH",
        "liaison": "LVH",
        "leader": "LVH",
    },
    ("disputes.jointmeeting", "other_meeting"): {
        "staff": "LAVCH",
        "liaison": "L",
        "leader": "LVH",
    },
    # Added on the meeting's page; the owner's liaison reports progress (change).
    ("disputes.actionitem", "own_action"): {"staff": "LVCH", "liaison": "LVCH", "leader": "LVH"},
    ("disputes.actionitem", "other_action"): {"staff": "LVCH", "liaison": "L", "leader": "LVH"},
    # Detection proposes; staff review by the actions.
    ("disputes.disputeproposal", "proposal"): {"staff": "LVCH", "leader": "LVH"},
    ("accounts.failedsignin", "access_failure"): {"staff": "LVH"},
}

# The project's own views beside the standard ones: (url name, object or None, method),
# who may use it. GET views are only read; POST views are refused with nothing written.
CUSTOM_DOORS = [
    ("directory_unit_confirm_contacts", "own_unit", "POST", "staff liaison"),
    ("directory_unit_confirm_contacts", "other_unit", "POST", "staff"),
    ("directory_contact_replace", "own_contact", "GET", "staff liaison"),
    ("directory_contact_replace", "own_contact", "POST", "staff liaison"),
    ("directory_contact_replace", "other_contact", "POST", "staff"),
    ("diversion_diversionlist_new_version", "draft_list", "POST", "staff"),
    ("diversion_diversionlist_publish", "draft_list", "GET", "staff"),
    ("diversion_diversionlist_publish", "draft_list", "POST", "staff"),
    ("diversion_diversionlist_export", "draft_list", "GET", "staff liaison leader"),
    ("diversion_diversionlist_import", "draft_list", "GET", "staff"),
    ("diversion_diversionlist_import", "draft_list", "POST", "staff"),
    ("diversion_diversionlist_compare", "draft_list", "GET", "staff liaison leader"),
    ("diversion_diversionlist_derive", None, "GET", "staff"),
    ("diversion_diversionlist_derive", None, "POST", "staff"),
    ("diversion_diversionlist_template", None, "GET", "staff liaison leader"),
    ("diversion_lookupchoice_lookup", None, "GET", "staff"),
    ("diversion_lookupchoice_lookup", None, "POST", "staff"),  # reads only, like GET
    ("diversion_lookupchoice_pick", None, "GET", ""),  # a pick is a POST
    ("diversion_lookupchoice_pick", None, "POST", "staff"),
    ("tickets_ticket_act", "own_ticket", "POST", "staff liaison"),
    ("tickets_ticket_act", "other_ticket", "POST", "staff"),
    ("tickets_ticket_act", "own_ticket:return", "GET", "staff liaison"),
    ("tickets_ticket_act", "other_ticket:return", "GET", "staff"),
    ("tickets_ticket_act", "own_ticket:return", "POST", "staff liaison"),
    ("tickets_ticket_act", "other_ticket:return", "POST", "staff"),
    ("tickets_ticket_attachment", "own_attachment", "GET", "staff liaison leader"),
    ("tickets_ticket_attachment", "own_attachment", "POST", ""),
    ("tickets_ticket_attachment", "other_attachment", "GET", "staff leader"),
    ("tickets_supervisionnotice_acknowledge", "own_notice", "POST", "liaison"),
    ("tickets_supervisionnotice_acknowledge", "other_notice", "POST", ""),
    ("disputes_jurisdictiondispute_move", "own_dispute:consult", "GET", "staff"),
    ("disputes_jurisdictiondispute_move", "own_dispute:consult", "POST", "staff"),
    ("disputes_jurisdictiondispute_move", "own_dispute:decide", "GET", "staff"),
    ("disputes_jurisdictiondispute_move", "other_dispute:withdraw", "POST", "staff"),
    ("disputes_jurisdictiondispute_position", "own_dispute:own_unit", "GET", "staff liaison"),
    ("disputes_jurisdictiondispute_position", "own_dispute:own_unit", "POST", "staff liaison"),
    ("disputes_jurisdictiondispute_position", "own_dispute:other_unit", "GET", "staff"),
    ("disputes_jurisdictiondispute_position", "own_dispute:other_unit", "POST", "staff"),
    ("disputes_jurisdictiondispute_position", "other_dispute:other_unit", "POST", "staff"),
    ("disputes_jurisdictiondispute_draft", "own_dispute", "GET", "staff"),
    ("disputes_jurisdictiondispute_draft", "own_dispute", "POST", "staff"),
    ("disputes_jurisdictiondispute_reroute", "own_dispute", "GET", "staff"),
    ("disputes_jurisdictiondispute_reroute", "own_dispute", "POST", "staff"),
    ("disputes_jurisdictiondispute_evidence", "own_dispute", "GET", "staff"),
    ("disputes_jurisdictiondispute_evidence", "own_dispute", "POST", "staff"),
    *[
        ("disputes_jointmeeting_step", f"own_meeting:{step}", "POST", "staff")
        for step in ("confirm", "hold", "approve")
    ],
    ("disputes_jointmeeting_step", "own_meeting:confirm", "GET", ""),  # a step is a POST
    ("disputes_jointmeeting_agenda", "own_meeting", "GET", "staff"),
    ("disputes_jointmeeting_agenda", "own_meeting", "POST", "staff"),
    ("disputes_jointmeeting_action", "own_meeting", "GET", "staff"),
    ("disputes_jointmeeting_action", "own_meeting", "POST", "staff"),
    ("disputes_jointmeeting_attendance", "own_meeting:own_unit", "GET", "staff liaison"),
    ("disputes_jointmeeting_attendance", "own_meeting:own_unit", "POST", "staff liaison"),
    ("disputes_jointmeeting_attendance", "own_meeting:other_unit", "GET", "staff"),
    ("disputes_jointmeeting_attendance", "own_meeting:other_unit", "POST", "staff"),
    ("disputes_jointmeeting_attendance", "other_meeting:other_unit", "POST", "staff"),
    ("disputes_jointmeeting_pack", "own_meeting:xlsx", "GET", "staff liaison leader"),
    ("disputes_jointmeeting_pack", "own_meeting:docx", "GET", "staff liaison leader"),
    ("disputes_jointmeeting_pack", "other_meeting:xlsx", "GET", "staff leader"),
    ("disputes_jointmeeting_pack", "own_meeting:docx", "POST", ""),
    ("disputes_jointmeeting_attachment", "own_minutes_file", "GET", "staff liaison leader"),
    ("disputes_jointmeeting_attachment", "own_minutes_file", "POST", ""),
    ("disputes_jointmeeting_attachment_remove", "own_minutes_file", "GET", ""),  # a POST
    ("disputes_jointmeeting_attachment_remove", "own_minutes_file", "POST", "staff"),
    ("disputes_jointmeeting_attachment_remove", "other_minutes_file", "POST", "staff"),
    ("tickets_ticketexport_download", "staff_export", "GET", "staff"),
    ("tickets_ticketexport_download", "staff_export", "POST", ""),
    ("reports_reportrun_download", "report_run", "GET", "staff leader"),
    ("reports_reportrun_download", "report_run", "POST", ""),
    ("reports_reportrun_dashboard", None, "GET", "staff leader"),
    ("reports_reportrun_dashboard", None, "POST", ""),
    ("disputes_jointmeeting_attachment", "other_minutes_file", "GET", "staff leader"),
    ("auth_user_password_change", "leader_user", "GET", "staff"),
    ("auth_user_password_change", "leader_user", "POST", "staff"),
    ("autocomplete", None, "GET", "staff liaison leader"),
]
# Site pages every signed-in admin user has; not about any one model.
SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "view_on_site",
    "app_list",
}
LETTER_URLS = {
    "L": "changelist",
    "A": "add",
    "V": "change",
    "C": "change",
    "D": "delete",
    "H": "history",
    "R": "simple_history",
}


def _object(objects, key):
    """The object behind a door; "own_ticket:return" is the ticket and the step,
    "own_dispute:own_unit" the dispute and a unit."""
    if key and ":" in key:
        key, step = key.split(":")
        return objects[key], objects.get(step, step)
    return objects.get(key)


def _url(name, obj, letter=None):
    if name == "autocomplete":
        return reverse("admin:autocomplete") + (
            "?app_label=tickets&model_name=ticket&field_name=unit&term="
        )
    if name == "tickets_ticket_act":
        ticket, step = obj if isinstance(obj, tuple) else (obj, "sign")
        return reverse(f"admin:{name}", args=[ticket.pk, step])
    if name == "disputes_jurisdictiondispute_move":
        dispute, move = obj
        return reverse(f"admin:{name}", args=[dispute.pk, move])
    if name in ("disputes_jurisdictiondispute_position", "disputes_jointmeeting_attendance"):
        owner, unit = obj
        return reverse(f"admin:{name}", args=[owner.pk, unit.pk])
    if name in ("disputes_jointmeeting_step", "disputes_jointmeeting_pack"):
        meeting, step = obj
        return reverse(f"admin:{name}", args=[meeting.pk, step])
    if name in ("disputes_jointmeeting_attachment", "disputes_jointmeeting_attachment_remove"):
        return reverse(f"admin:{name}", args=[obj.meeting_id, obj.pk])
    if name == "tickets_ticket_attachment":
        return reverse(f"admin:{name}", args=[obj.ticket_id, obj.pk])
    if letter in ("L", "A") or obj is None:
        return reverse(f"admin:{name}")
    if letter == "R":
        return reverse(f"admin:{name}", args=[obj.pk, obj.history.latest().history_id])
    return reverse(f"admin:{name}", args=[obj.pk])


def _refused(response):
    if response.status_code == 302:
        # Not an admin user: the login page. An object outside the person's queryset:
        # the index, with Django's "does not exist" message.
        location = response["Location"].split("?")[0]
        return location in (reverse("admin:login"), reverse("admin:index"))
    return response.status_code in (400, 403, 404, 405)


def _requests(letter):
    """(method, data) each door letter is tried with when the role may not use it."""
    if letter in ("L", "V", "H"):
        return [("GET", None)]
    if letter == "C":
        return [("POST", {"change_reason": "门禁", "name": "改名"})]
    if letter == "D":
        return [("GET", None), ("POST", {"post": "yes"})]
    if letter == "R":  # the version page never writes, whoever asks
        return [("GET", None)]
    return [("GET", None), ("POST", {"name": "新建", "change_reason": "门禁"})]


MODEL_CASES = [
    (model, key, letter)
    for (model, key), allowed in MODEL_DOORS.items()
    for letter in "LAVCDHR"
    if letter != "R" or any("R" in letters for letters in allowed.values())
]


@pytest.mark.parametrize(("model", "key", "letter"), MODEL_CASES)
def test_model_doors(client, users, objects, model, key, letter):
    app_label, model_name = model.split(".")
    name = f"{app_label}_{model_name}_{LETTER_URLS[letter]}"
    url = _url(name, objects[key], letter)
    for role in ROLES:
        client.force_login(users[role])
        allowed = letter in MODEL_DOORS[(model, key)].get(role, "")
        if allowed:
            if letter != "C":  # allowed writes are tested where they are built
                response = client.get(url)
                assert response.status_code == 200, (role, url, response.status_code)
            continue
        for method, data in _requests(letter):
            before = fingerprint()
            response = _send(client, method, url, data)
            assert _refused(response), (role, method, url, response.status_code)
            assert fingerprint() == before, (role, method, url)


@pytest.mark.parametrize(("name", "key", "method", "allowed"), CUSTOM_DOORS)
def test_custom_doors(client, users, objects, name, key, method, allowed):
    url = _url(name, _object(objects, key))
    for role in ROLES:
        client.force_login(users[role])
        if role in allowed.split():
            if method == "GET":
                response = client.get(url)
                assert response.status_code == 200, (role, url, response.status_code)
            continue
        before = fingerprint()
        response = _send(client, method, url, {"post": "yes"})
        assert _refused(response), (role, method, url, response.status_code)
        assert fingerprint() == before, (role, method, url)


def test_version_pages_never_revert(client, users, objects):
    """POST to a recorded version is refused for every role, staff and superuser too."""
    for key in ("own_unit", "own_contact"):
        url = _url(f"directory_{key.split('_')[1]}_simple_history", objects[key], "R")
        for role in ROLES:
            client.force_login(users[role])
            before = fingerprint()
            response = client.post(url, {"duty_phone": "0513-1", "change_reason": "x"})
            assert _refused(response), (role, url, response.status_code)
            assert fingerprint() == before


def _send(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data or {})


def _admin_url_names():
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(admin.site.get_urls())
    return names


def test_every_admin_url_is_in_the_matrix():
    covered = {name for name, *_rest in CUSTOM_DOORS} | SITE_PAGES
    for (model, _key), _allowed in MODEL_DOORS.items():
        app_label, model_name = model.split(".")
        covered |= {f"{app_label}_{model_name}_{suffix}" for suffix in LETTER_URLS.values()}
    missing = _admin_url_names() - covered
    assert not missing, f"admin URLs without a row in the role matrix: {sorted(missing)}"
