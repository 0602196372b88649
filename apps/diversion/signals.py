"""What the diversion lists tell the apps above them (which they may not import)."""

from django.dispatch import Signal

# Sent inside ``services.publish``'s transaction with ``diversion_list``: the version now
# in force. Disputes whose decision it carries become implemented in the same commit.
list_published = Signal()
