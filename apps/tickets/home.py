"""What each person sees first on the admin home page: the figures of their daily work,
each a link to the list behind it (``settings.ADMIN_HOME_FIGURES``)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.directory.models import Unit
from apps.diversion.models import ChoiceReview, DiversionList, ListStatus, LookupChoice

from .lifecycle import Status
from .models import SupervisionNotice, Ticket


@dataclass
class Figure:
    label: str
    count: int
    link: str
    alert: bool = False  # worth attention when not zero


def _tickets(query=""):
    return reverse("admin:tickets_ticket_changelist") + query


def _ticket_figures(user) -> list[Figure]:
    tickets = Ticket.objects.visible_to(user)
    unacknowledged = SupervisionNotice.objects.visible_to(user).filter(
        notice__requires_acknowledgement=True, notice__acknowledged_at__isnull=True
    )
    if user.is_liaison:
        unacknowledged = unacknowledged.filter(notice__recipients__user=user).distinct()
    return [
        Figure(
            _("Awaiting signature"),
            tickets.filter(status=Status.TRANSFERRED).count(),
            _tickets("?status__exact=transferred"),
        ),
        Figure(_("Due soon"), tickets.due_soon().count(), _tickets("?overdue=soon"), True),
        Figure(_("Overdue"), tickets.overdue().count(), _tickets("?overdue=yes"), True),
        Figure(
            _("Supervision notices not acknowledged"),
            unacknowledged.count(),
            reverse("admin:tickets_supervisionnotice_changelist") + "?acknowledged=no",
            True,
        ),
    ]


def figures(user) -> list[Figure]:
    """The home figures for this person's role; none for a platform account."""
    if not (user.is_command_staff or user.is_liaison or user.is_leadership):
        return []
    found = _ticket_figures(user)
    if user.is_liaison:
        stale = Unit.objects.filter(pk=user.unit_id).with_contacts_stale()
        found.append(
            Figure(
                _("Contacts to confirm"),
                stale.filter(contacts_stale=True).count(),
                reverse("admin:directory_unit_change", args=[user.unit_id]),
                True,
            )
        )
    if user.is_command_staff:
        found.append(
            Figure(
                _("Draft diversion lists"),
                DiversionList.objects.filter(status=ListStatus.DRAFT).count(),
                reverse("admin:diversion_diversionlist_changelist") + "?status__exact=draft",
            )
        )
        found.append(
            Figure(
                _("Call-takers' choices to review"),
                LookupChoice.objects.filter(review=ChoiceReview.PENDING).count(),
                reverse("admin:diversion_lookupchoice_changelist") + "?review=pending",
            )
        )
    return found
