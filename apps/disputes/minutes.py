"""Minutes attachments: who may add or remove them, and removing one.

Staff keep the files until the minutes are approved; after that they are the record.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .meetings import MeetingRefused
from .models import JointMeeting, MinutesAttachment


def may_change_attachments(user, meeting: JointMeeting) -> bool:
    return user.is_command_staff and not meeting.is_read_only


@transaction.atomic
def remove_attachment(attachment: MinutesAttachment, *, actor) -> None:
    """Remove a minutes file; the stored file goes once the removal is committed, so a
    rolled-back removal never leaves a row pointing at nothing."""
    meeting = JointMeeting.objects.select_for_update().get(pk=attachment.meeting_id)
    if meeting.is_read_only:
        raise MeetingRefused(
            _("The minutes of %(number)s are approved: their files stay as they are.")
            % {"number": meeting.number}
        )
    stored, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(name))
