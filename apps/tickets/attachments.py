"""Files a unit attaches to a handling step: photos of the site, a scanned reply.

The type is read from the file's first bytes, not from its name or the browser's word
for it, and the size is bounded; anything else is refused with a message naming the
file.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# (leading bytes, content type, extension)
KINDS = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


def kind_of(upload):
    """(content type, extension) of an uploaded file, from its content; None if neither
    a JPEG, a PNG nor a PDF."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, extension in KINDS:
        if head.startswith(magic):
            return content_type, extension
    return None


def check(uploads) -> list:
    """The uploads as (file, content type, extension), or ValidationError naming every
    file that is too large or of another kind, and too many files."""
    errors, checked = [], []
    limit = settings.TICKET_ATTACHMENT_MAX_BYTES
    if len(uploads) > settings.TICKET_ATTACHMENTS_PER_STEP:
        errors.append(
            _("At most %(n)d files per step.") % {"n": settings.TICKET_ATTACHMENTS_PER_STEP}
        )
    for upload in uploads:
        kind = kind_of(upload)
        if upload.size > limit:
            errors.append(
                _("%(name)s is %(size)s bytes; at most %(limit)s bytes are accepted.")
                % {"name": upload.name, "size": f"{upload.size:,}", "limit": f"{limit:,}"}
            )
        elif kind is None:
            errors.append(
                _("%(name)s is not a JPEG or PNG photo or a PDF document.") % {"name": upload.name}
            )
        else:
            checked.append((upload, *kind))
    if errors:
        raise ValidationError(errors)
    return checked
