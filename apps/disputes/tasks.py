from celery import shared_task

from . import detection


@shared_task(acks_late=True)
def detect_disputes():
    """Daily (beat): propose the matters whose tickets keep coming back as disputes."""
    return len(detection.detect())
