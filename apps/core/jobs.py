"""Files made in the background (reports, big exports): their states, and writing one so
that nobody ever sees half of it."""

import logging
import os
import uuid

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Produced")
    FAILED = "failed", _("Production failed")


def write_in_place(name: str, write):
    """Store a file under (a free variant of) ``name`` through ``write(path)``: it writes
    beside the final name and the file is moved into place when complete, so a worker
    killed halfway leaves no partial file under the name; a failure removes the part.
    Returns (stored name, what ``write`` returned)."""
    name = default_storage.get_available_name(name)
    final = default_storage.path(name)
    partial = f"{final}.{uuid.uuid4().hex}.part"
    os.makedirs(os.path.dirname(final), exist_ok=True)
    try:
        result = write(partial)
        os.replace(partial, final)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    return name, result


def claim_job(model, pk: int):
    """Take a queued job (a row with ``status``, ``started_at``, ``progress``, ``error``,
    ``finished_at``) with one conditional UPDATE: two workers never both get it. Returns
    the row as a queryset that stays this claim's (None when another has it): a run given
    up on and queued again gets a new ``started_at``, and the old worker's updates then
    match nothing."""
    started = timezone.now()
    if not model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started, progress=0, error=""
    ):
        return None
    return model.objects.filter(pk=pk, status=JobStatus.RUNNING, started_at=started)


def record_failure(mine, exc: Exception) -> None:
    """The claimed job failed: why, for the person who asked (logged in full as well)."""
    logger.exception("%s failed", mine.model._meta.verbose_name)
    mine.update(
        status=JobStatus.FAILED,
        error=f"{type(exc).__name__}: {exc}"[:2000],
        finished_at=timezone.now(),
    )
