from celery import shared_task

from . import actions, detection, meetings, schedule


@shared_task(acks_late=True)
def detect_disputes():
    """Daily (beat): propose the matters whose tickets keep coming back as disputes."""
    return len(detection.detect())


@shared_task(acks_late=True)
def plan_meetings():
    """Daily (beat): draft the quarter's regular meetings; remind staff of drafts."""
    return {
        "drafted": len(schedule.draft_regular_meetings()),
        "reminded": schedule.remind_unconfirmed(),
    }


@shared_task(acks_late=True)
def send_agenda(meeting_id):
    """When a meeting is confirmed (on commit): its agenda to the invited units."""
    return meetings.send_agenda(meeting_id)


@shared_task(acks_late=True)
def scan_action_items():
    """Hourly (beat): reminders, supervision notices and escalations of action items."""
    return actions.scan_action_items()
