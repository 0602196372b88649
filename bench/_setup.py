"""Shared start-up for benchmarks: Django on a throw-away database with reference data.

Run a benchmark from the project root, e.g. ``.venv/bin/python bench/diversion_lookup.py``.
``DATABASE_URL`` picks the database (default: a fresh SQLite file in var/bench/).
"""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(fresh=True):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_DEBUG", "True")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / "bench.sqlite3"
    if "DATABASE_URL" not in os.environ:
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
