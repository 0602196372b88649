"""Two real Celery workers scanning at once (PostgreSQL + Redis) never send a notice twice."""

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from email import message_from_string
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from apps.accounts.roles import Role
from apps.tickets.models import SupervisionNotice
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SCANS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent workers need PostgreSQL (run with DATABASE_URL)",
    ),
]


def start_worker(name, queue, mail_dir, log):
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
            f"{settings['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{name}@%h",
            "--concurrency=1",
            "--prefetch-multiplier=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_two_workers_scanning_at_once_send_each_notice_once(make_ticket, police, tmp_path):
    UserFactory(
        username="police-liaison", role=Role.LIAISON, unit=police, email="account@example.com"
    )
    received = timezone.now() - timedelta(hours=3)
    tickets = [make_ticket(urgency="urgent", received_at=received) for _ in range(150)]
    queue = f"scan-test-{uuid.uuid4().hex[:8]}"
    logs = [open(tmp_path / f"worker{i}.log", "w+") for i in (1, 2)]  # noqa: SIM115
    workers = [
        start_worker(f"w{i}", queue, tmp_path / "mail", log)
        for i, log in zip((1, 2), logs, strict=True)
    ]
    try:
        client = Celery(broker=REDIS_URL)
        deadline = time.monotonic() + 60
        while not all("ready" in Path(log.name).read_text() for log in logs):
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.5)
        for _ in range(SCANS):
            client.send_task("apps.tickets.tasks.scan_overdue_tickets", queue=queue)
        while sum(Path(log.name).read_text().count("succeeded") for log in logs) < SCANS:
            assert time.monotonic() < deadline, "scans did not finish"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    runs = [Path(log.name).read_text().count("succeeded") for log in logs]
    assert all(runs), f"both workers must have scanned: {runs}"

    notices = SupervisionNotice.objects.filter(ticket__in=tickets)
    # urgent, 3 hours late: sign, arrive and reply each noticed and escalated
    assert notices.count() == len(tickets) * 6
    assert not notices.filter(notice__delivered_at__isnull=True).exists()
    numbers_by_address = Counter()
    for path in (tmp_path / "mail").iterdir():
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                headers, body = raw.strip().split("\n\n", 1)
                to = message_from_string(headers)["To"]
                for line in body.splitlines():
                    if "督办〔" in line:
                        number = line.split("】", 1)[1].split(" ", 1)[0]
                        numbers_by_address[(to, number)] += 1
    assert numbers_by_address, "no email was sent"
    duplicates = {k: n for k, n in numbers_by_address.items() if n > 1}
    assert not duplicates
    assert {number for _to, number in numbers_by_address} == {n.number for n in notices}
