"""Real Celery workers (PostgreSQL + Redis) for the tests that show a task is safe to run
twice at once: two workers on one queue, each task sent several times."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


def run_on_two_workers(tmp_path, tasks) -> list[int]:
    """Send ``tasks`` ([(name, args)]) to two fresh workers and wait until all ran;
    returns how many tasks each worker ran."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    logs = [open(tmp_path / f"worker{i}.log", "w+") for i in (1, 2)]  # noqa: SIM115
    workers = [
        start_worker(f"w{i}", queue, tmp_path / "mail", log)
        for i, log in zip((1, 2), logs, strict=True)
    ]
    try:
        client = Celery(broker=REDIS_URL)
        deadline = time.monotonic() + 90
        while not all("ready" in Path(log.name).read_text() for log in logs):
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.5)
        for name, args in tasks:
            client.send_task(name, args=args, queue=queue)
        while sum(Path(log.name).read_text().count("succeeded") for log in logs) < len(tasks):
            assert time.monotonic() < deadline, "tasks did not finish"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return [Path(log.name).read_text().count("succeeded") for log in logs]
