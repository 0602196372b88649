"""Ticket exports over the admin's download limit, made by a worker: any filter, up to
the whole table, masked and safe like the small export (``exporters``), with progress on
the export's page and a download link in the requester's inbox when done."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.jobs import JobStatus, claim_job, record_failure, write_in_place
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue, recipients_of_accounts

from .export_models import TicketExport, export_path
from .exporters import write_tickets


def request_export(*, user, query: dict) -> TicketExport:
    """Queue an export of the ticket list as ``user`` has it filtered (``query``)."""
    export = TicketExport.objects.create(requested_by=user, query=query)
    from .tasks import export_tickets_in_background  # the task module imports this one

    transaction.on_commit(lambda: export_tickets_in_background.delay(export.pk))
    return export


def produce_export(export_id: int, *, listed) -> bool:
    """Write a queued export; ``listed(user, query)`` gives the tickets the person's list
    showed (what they may see, filtered as they had it). False when already taken."""
    mine = claim_job(TicketExport, export_id)
    if mine is None:
        return False
    export = TicketExport.objects.select_related("requested_by").get(pk=export_id)
    try:
        tickets = listed(export.requested_by, export.query)
        total = tickets.count() or 1
        name, rows = write_in_place(
            export_path(export, f"tickets-{export.pk}.xlsx"),
            lambda path: write_tickets(
                tickets,
                path,
                progress=lambda n: mine.update(progress=min(99, n * 100 // total), rows=n),
            ),
        )
    except Exception as exc:
        record_failure(mine, exc)
        return False
    with transaction.atomic():
        mine.update(
            status=JobStatus.DONE, file=name, rows=rows, progress=100, finished_at=timezone.now()
        )
        issue(
            Draft(
                kind=NoticeKind.EXPORT_READY,
                title=_("Your ticket export is ready (%(n)s tickets)") % {"n": f"{rows:,}"},
                body=_(
                    "Download it from the link below; it holds the tickets as your list "
                    "showed them."
                ),
                recipients=recipients_of_accounts(User.objects.filter(pk=export.requested_by_id)),
                link=reverse("admin:tickets_ticketexport_download", args=[export.pk]),
            )
        )
    return True
