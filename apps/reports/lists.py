"""The row lists of the report workbook: the overdue tickets (the circular list), the
disputes and meetings, and the list and contact changes of the period."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Platform
from apps.core.excel import append_row
from apps.tickets.lifecycle import MILESTONE_FIELDS, Milestone

from . import content
from .cells import MOMENT, formatted, local, new_sheet


def overdue(book, region, period, now):
    """The circular list: every overdue ticket of the period, its deadlines and how late.
    Moments are written as plain values (Excel's date format), not one styled cell each:
    a busy quarter has tens of thousands of rows."""
    labels = dict(Milestone.choices)
    headers = [_("Ticket"), _("Source"), _("Region"), _("Unit"), _("Received at")]
    for milestone in MILESTONE_FIELDS:
        headers += [
            _("%(milestone)s by") % {"milestone": labels[milestone]},
            _("%(milestone)s at") % {"milestone": labels[milestone]},
        ]
    headers += [_("Late by (hours)"), _("Supervision notices"), _("Circulated (通报)")]
    sheet = new_sheet(book, _("Overdue and circulars"), headers, {_("Unit"): 24})
    platforms = {value: str(label) for value, label in Platform.choices}
    moments = [f for pair in MILESTONE_FIELDS.values() for f in pair]
    tz = timezone.get_current_timezone()

    def wall_clock(moment):  # Excel has no time zones: the office's local time
        return moment.astimezone(tz).replace(tzinfo=None) if moment else None

    circulated = _("Yes")
    written = 0
    for row in content.overdue_tickets(region=region, period=period, now=now).iterator(
        chunk_size=5000
    ):
        append_row(
            sheet,
            [
                row["external_id"],
                platforms.get(row["source_platform"], row["source_platform"]),
                row["region__name"],
                row["unit__name"],
                wall_clock(row["received_at"]),
                *[wall_clock(row[f]) for f in moments],
                round(content.lateness(row, now).total_seconds() / 3600, 1),
                row["notice_count"],
                circulated if row["circular_at"] else "",
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
