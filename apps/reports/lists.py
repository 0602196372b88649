"""The row lists of the report workbook: the overdue tickets (the circular list), the
disputes and meetings, and the list and contact changes of the period."""

from django.utils.translation import gettext as _

from apps.accounts.models import Platform
from apps.core.excel import append_row
from apps.tickets.lifecycle import MILESTONE_FIELDS

from . import content
from .cells import MOMENT, formatted, local, new_sheet


def overdue(book, region, period, now):
    deadlines = [(m, due, met) for m, (due, met) in MILESTONE_FIELDS.items()]
    labels = dict(
        MILESTONE_FIELDS
        and __import__("apps.tickets.lifecycle", fromlist=["Milestone"]).Milestone.choices
    )
    headers = [_("Ticket"), _("Source"), _("Region"), _("Unit"), _("Received at")]
    for m, _due, _met in deadlines:
        headers += [
            _("%(milestone)s by") % {"milestone": labels[m]},
            _("%(milestone)s at") % {"milestone": labels[m]},
        ]
    headers += [_("Late by (hours)"), _("Supervision notices"), _("Circulated (通报)")]
    sheet = new_sheet(book, _("Overdue and circulars"), headers, {_("Unit"): 24})
    platforms = dict(Platform.choices)
    written = 0
    for t in content.overdue_tickets(region=region, period=period, now=now).iterator(
        chunk_size=2000
    ):
        moments = []
        for _m, due, met in deadlines:
            moments += [
                formatted(sheet, local(getattr(t, due)), MOMENT) if getattr(t, due) else "",
                formatted(sheet, local(getattr(t, met)), MOMENT) if getattr(t, met) else "",
            ]
        append_row(
            sheet,
            [
                t.external_id,
                str(platforms.get(t.source_platform, t.source_platform)),
                t.region.name,
                t.unit.name,
                formatted(sheet, local(t.received_at), MOMENT),
                *moments,
                formatted(sheet, round(content.lateness(t, now).total_seconds() / 3600, 1), "0.0"),
                t.notice_count,
                _("Yes") if t.circular_at else "",
            ],
        )
        written += 1
    return written


def disputes(book, region, period):
    found = content.disputes_and_meetings(region=region, period=period)
    sheet = new_sheet(
        book,
        _("Disputes and meetings"),
        [_("Item"), _("Number"), _("Title"), _("Status"), _("Unit"), _("Date")],
        {_("Title"): 36},
    )
    for label, key in (
        (_("Disputes raised"), "raised"),
        (_("Disputes decided"), "decided"),
        (_("Disputes implemented"), "implemented"),
        (_("Disputes still open"), "open"),
    ):
        append_row(sheet, [label, found[key]])
    written = 0
    append_row(sheet, [])
    for d in found["disputes"]:
        append_row(
            sheet,
            [
                _("Dispute"),
                d.number,
                d.title,
                d.get_status_display(),
                d.lead_unit.name if d.lead_unit else "",
                formatted(sheet, local(d.decided_at or d.raised_at), MOMENT),
            ],
        )
        written += 1
    for m in found["meetings"]:
        append_row(
            sheet,
            [
                _("Meeting"),
                m.number,
                m.title,
                m.get_status_display(),
                "",
                formatted(sheet, local(m.starts_at), MOMENT),
            ],
        )
        written += 1
    for a in found["actions"]:
        status = _("Overdue") if a.is_overdue() else a.get_status_display()
        append_row(
            sheet,
            [
                _("Action item"),
                a.meeting.number,
                a.description,
                status,
                a.owner.name,
                formatted(sheet, local(a.due_by), MOMENT),
            ],
        )
        written += 1
    return written


def changes(book, region, period):
    found = content.list_and_contact_changes(region=region, period=period)
    sheet = new_sheet(
        book,
        _("List and contact changes"),
        [
            _("Item"),
            _("Region"),
            _("Version / unit"),
            _("Added"),
            _("Changed"),
            _("Removed"),
            _("Published at"),
        ],
        {_("Version / unit"): 30},
    )
    for version, added, changed, removed in found["published"]:
        append_row(
            sheet,
            [
                _("List version published"),
                version.region.name,
                f"v{version.version} {version.title}",
                added,
                changed,
                removed,
                formatted(sheet, local(version.approved_at), MOMENT),
            ],
        )
    for unit, n in found["contacts"]:
        append_row(sheet, [_("Contact changes"), unit.region.name, unit.name, n])
    return len(found["published"]) + len(found["contacts"])
