"""Ticket intake through the real HTTP API, beside a bare bulk_create of the same rows.

(a) single POST /api/v1/tickets/ from a pool of 8 keep-alive clients, each with an
    Idempotency-Key; (a0) its floor on the same server: a bare DRF endpoint that validates
    a plain serializer and inserts one row (bench/floor_urls.py), target: the workers' CPU
    per single ticket <= 2x the floor's; (b) POST /api/v1/tickets/batch/ with 1,000
    tickets a request from 4 clients; (c) the floor of (b): ``Ticket.objects.bulk_create``
    of rows whose fields (deadlines included) were computed beforehand, target: batch
    throughput >= 0.9x it. Throttling is on at the production rates of the settings.
    Absolute rates differ between machines of the same kind; the ratios are what to read.

The API is served by gunicorn with two workers (gthread, 4 threads each, so that HTTP
keep-alive works) in production mode (DJANGO_DEBUG=False), on 127.0.0.1 only; it is
stopped at the end whatever happens. Every ticket the benchmark creates is deleted
again. Run on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linkage_bench \\
        .venv/bin/python bench/tickets_ingest.py

Knobs: BENCH_SINGLE (2,000 requests), BENCH_BATCHES (10), BENCH_BATCH_CLIENTS (4),
BENCH_WORKER_CLASS (gthread; ``sync`` closes the connection after every request),
BENCH_THREADS (4).
"""

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from _setup import ROOT, percentile, setup

setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.roles import Role  # noqa: E402
from apps.accounts.services import create_account  # noqa: E402
from apps.directory.models import Region, Unit  # noqa: E402
from apps.diversion.lookup import list_in_force  # noqa: E402
from apps.tickets.deadlines import DeadlineBook  # noqa: E402
from apps.tickets.models import Ticket, TicketEvent  # noqa: E402
from apps.tickets.services import new_ticket  # noqa: E402

SINGLE = int(os.environ.get("BENCH_SINGLE", 2000))
CLIENTS = 8
BATCH = 1000
BATCHES = int(os.environ.get("BENCH_BATCHES", 10))
# Two batches in flight per worker: while one waits for PostgreSQL (a 1,000-row insert and
# its commit), the other runs Python. With one per worker the cores idle during the waits
# (about 4,900 tickets/s here instead of 5,400 to 7,100).
BATCH_CLIENTS = int(os.environ.get("BENCH_BATCH_CLIENTS", 4))
# gthread keeps HTTP connections alive; BENCH_WORKER_CLASS=sync for the classic worker.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
THREADS = int(os.environ.get("BENCH_THREADS", 4))
RUN = uuid.uuid4().hex[:8]
PREFIX = f"BENCH-{RUN}-"

account = create_account("bench-platform-12345", uuid.uuid4().hex, Role.PLATFORM, platform="12345")
token = account.auth_token.key
region = Region.objects.get(division_code="320600")
police = Unit.objects.get(region=region, name="市公安局")
items = list(list_in_force(region).items.filter(direction="hotline_to_police"))
random.seed(12345)
tickets_before = Ticket.objects.count()


def body(n):
    urgency = random.choices(["general", "urgent", "major"], [80, 17, 3])[0]
    item = random.choice(items)
    received = timezone.now() - timedelta(minutes=random.uniform(1, 120))
    return {
        "external_id": f"{PREFIX}{n:08d}",
        "region": "320600",
        "received_at": timezone.localtime(received).isoformat(),
        "channel": "phone",
        "transfer_method": "one_key",
        "urgency": urgency,
        "unit": police.pk,
        "diversion_item": item.item_code,
        "summary": f"市民来电反映人民路{n % 400}号{item.subcategory or item.category}，请处置。",
        "caller_phone": f"138{random.randrange(10**8):08d}",
        "restricted": False,
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port):
    env = dict(
        os.environ,
        DJANGO_ROOT_URLCONF="floor_urls",
        PYTHONPATH=str(ROOT / "bench"),
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=uuid.uuid4().hex * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            WORKER_CLASS,
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start within 30 s")


def stop_gunicorn(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Client:
    """One keep-alive HTTP connection; reconnects when the server closed it."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def post(self, path, payload):
        data = json.dumps(payload).encode()
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Connection": "keep-alive",
        }
        if isinstance(payload, dict):  # a single ticket carries its key, as platforms send
            headers["Idempotency-Key"] = payload["external_id"]
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request("POST", path, data, headers)
                response = self.conn.getresponse()
                answer = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, answer
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def workers_cpu_seconds(server):
    """CPU time the gunicorn workers have used so far (Linux /proc; None elsewhere): the
    per-ticket figure it gives varies far less between runs than tickets per second on a
    shared machine."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        ticks = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def measure(server, port, payloads, path, clients, expect):
    """drive(), plus the workers' CPU milliseconds per ticket (None where unknown)."""
    before = workers_cpu_seconds(server)
    elapsed, latencies = drive(port, payloads, path, clients, expect)
    after = workers_cpu_seconds(server)
    tickets = sum(len(p) if isinstance(p, list) else 1 for p in payloads)
    cpu_ms = None if before is None else (after - before) * 1000 / tickets
    return elapsed, latencies, cpu_ms


def drive(port, payloads, path, clients, expect):
    """Send the payloads from ``clients`` threads; returns (seconds, latencies in ms)."""
    cursor = iter(range(len(payloads)))
    lock = threading.Lock()
    latencies, failures = [], []

    def work():
        client = Client(port)
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            start = time.perf_counter()
            status, answer = client.post(path, payloads[index])
            latencies.append((time.perf_counter() - start) * 1000)
            if status != expect:
                failures.append((status, answer[:300]))

    threads = [threading.Thread(target=work) for _n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} request(s) failed, e.g. {failures[0]}")
    return elapsed, latencies


def bare_bulk_create(payloads):
    """The floor: the same tickets, fields computed beforehand, one bulk_create per 1,000."""
    book = DeadlineBook()
    list_ = list_in_force(region)
    by_code = {i.item_code: i for i in items}
    rows = []
    for p in payloads:
        rows.append(
            new_ticket(
                book=book,
                source_platform="12345",
                external_id=p["external_id"],
                region=region,
                received_at=datetime.fromisoformat(p["received_at"]),
                channel=p["channel"],
                transfer_method=p["transfer_method"],
                urgency=p["urgency"],
                needs_on_site=None,
                unit=police,
                diversion_item=by_code[p["diversion_item"]],
                diversion_list=list_,
                summary=p["summary"],
                caller_phone=p["caller_phone"],
            )
        )
    with override_settings(DEBUG=False):  # as in the server: no query log
        start = time.perf_counter()
        for first in range(0, len(rows), BATCH):
            with transaction.atomic():
                Ticket.objects.bulk_create(rows[first : first + BATCH])
        return time.perf_counter() - start


def cleanup():
    mine = Ticket.objects.filter(external_id__startswith=PREFIX)
    with transaction.atomic():
        TicketEvent.objects.filter(ticket__in=mine).delete()
        mine.delete()


def settle():
    """Start from the same state every run: earlier runs' deleted rows vacuumed away and
    no checkpoint pending (one falling inside a measurement costs it a third)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) tickets_ticket, tickets_ticketevent, tickets_ticket_co_units"
        )
        cursor.execute("CHECKPOINT")


port = free_port()
singles = [body(n) for n in range(SINGLE + 100)]
floor_singles = [body(n) for n in range(3 * 10**6, 3 * 10**6 + SINGLE + 100)]
FLOOR_PATH = f"/bench/floor/?region_id={region.pk}"
batches = [
    [body(n) for n in range(first, first + BATCH)]
    for first in range(10**6, 10**6 + BATCH * (BATCHES + 1), BATCH)
]
floor_rows = [body(n) for n in range(2 * 10**6, 2 * 10**6 + BATCH * BATCHES)]
settle()
try:
    server = start_gunicorn(port)
    try:
        # Warm up both workers (imports, connections, caches) before measuring.
        drive(port, singles[:100], "/api/v1/tickets/", CLIENTS, 201)
        drive(port, batches[:1], "/api/v1/tickets/batch/", 1, 200)
        drive(port, floor_singles[:100], FLOOR_PATH, CLIENTS, 201)
        floor1_s, floor1_ms, floor1_cpu = measure(
            server, port, floor_singles[100:], FLOOR_PATH, CLIENTS, 201
        )
        single_s, single_ms, single_cpu = measure(
            server, port, singles[100:], "/api/v1/tickets/", CLIENTS, 201
        )
        batch_s, batch_ms, batch_cpu = measure(
            server, port, batches[1:], "/api/v1/tickets/batch/", BATCH_CLIENTS, 200
        )
    finally:
        stop_gunicorn(server)
    floor_s = bare_bulk_create(floor_rows)
    created = Ticket.objects.filter(external_id__startswith=PREFIX).count()
    assert created == 2 * (SINGLE + 100) + BATCH * (BATCHES + 1) + BATCH * BATCHES, created
finally:
    cleanup()

single_rate = SINGLE / single_s
floor1_rate = SINGLE / floor1_s
batch_rate = BATCH * BATCHES / batch_s
floor_rate = BATCH * BATCHES / floor_s
print(
    f"ticket intake on {connection.vendor} ({tickets_before:,} tickets present), "
    f"gunicorn 2 {WORKER_CLASS} workers x {THREADS} thread(s), DJANGO_DEBUG=False, loopback"
)
print(
    f"  (a) single POST  : {SINGLE:>6,} tickets {single_s:6.2f} s {single_rate:8,.0f} tickets/s"
    f"  p50 {percentile(single_ms, 0.5):6.1f} ms  p95 {percentile(single_ms, 0.95):6.1f} ms"
    f"  ({CLIENTS} clients)"
)
print(
    f"  (a0) floor POST  : {SINGLE:>6,} tickets {floor1_s:6.2f} s {floor1_rate:8,.0f} tickets/s"
    f"  p50 {percentile(floor1_ms, 0.5):6.1f} ms  (bare DRF endpoint, plain serializer, one row)"
)
print(
    f"  (b) batch POST   : {BATCH * BATCHES:>6,} tickets {batch_s:6.2f} s {batch_rate:8,.0f} "
    f"tickets/s  p50 {percentile(batch_ms, 0.5):6.0f} ms per 1,000  ({BATCH_CLIENTS} clients)"
)
print(
    f"  (c) bulk_create  : {BATCH * BATCHES:>6,} tickets {floor_s:6.2f} s {floor_rate:8,.0f} "
    f"tickets/s  (fields precomputed, no events, in-process)"
)
if single_cpu is not None:
    cpu_ratio = single_cpu / floor1_cpu
    print(
        f"  web workers' CPU per ticket: single {single_cpu:.2f} ms, floor {floor1_cpu:.2f} ms, "
        f"batch {batch_cpu:.3f} ms (the rest of the 2 cores goes to PostgreSQL and the clients)"
    )
    print(
        f"  single/floor CPU per ticket {cpu_ratio:.2f}x  target <= 2x: "
        f"{'met' if cpu_ratio <= 2 else 'NOT met'}"
    )
batch_ratio = batch_rate / floor_rate
print(
    f"  ratios: batch/bulk_create {batch_ratio:.2f}  target >= 0.9: "
    f"{'met' if batch_ratio >= 0.9 else 'NOT met'}; single/floor rate "
    f"{single_rate / floor1_rate:.2f}; batch/single {batch_rate / single_rate:.1f}"
)
sys.stdout.flush()
